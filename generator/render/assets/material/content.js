// Material's content script (partials/javascripts/content.html), as a file: open the tab that
// the address's #fragment points at.
(function () {
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();
