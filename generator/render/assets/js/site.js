// Site-wide behaviour. No inline scripts anywhere: pages work under script-src 'self'.
(function () {
  "use strict";

  // The menu (Material's drawer, on phones and at high zoom) opens from a <label> for a
  // hidden checkbox, which a keyboard cannot reach. It gets a real button in its place:
  // focusable, announced with its state, Escape closes it, and focus goes into the menu
  // when it opens and back to the button when it closes. Without this script the label
  // still opens it by touch or mouse.
  function menuButton() {
    var toggle = document.getElementById("__drawer");
    var label = document.querySelector('.md-header label[for="__drawer"]');
    var drawer = document.querySelector(".md-sidebar--primary");
    if (!toggle || !label || !drawer) { return; }
    var ja = document.documentElement.lang !== "en";
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className + " site-menu-button";
    Array.prototype.forEach.call(label.childNodes, function (node) { button.appendChild(node.cloneNode(true)); });
    var text = document.createElement("span");
    text.className = "site-menu-button__text";
    text.textContent = ja ? "メニュー" : "Menu";
    button.appendChild(text);
    drawer.id = drawer.id || "site-menu";
    button.setAttribute("aria-controls", drawer.id);
    button.setAttribute("aria-expanded", "false");
    label.hidden = true;
    label.parentNode.insertBefore(button, label);

    function links() { return drawer.querySelectorAll(".md-nav__list a[href]"); }
    function open() { return toggle.checked; }
    function set(on, returnFocus) {
      if (open() !== on) { toggle.click(); } // Material follows the checkbox's change event
      button.setAttribute("aria-expanded", String(on));
      if (on && links().length) { links()[0].focus(); }
      if (!on && returnFocus) { button.focus(); }
    }
    button.addEventListener("click", function () { set(!open(), false); });
    // The checkbox also changes by the overlay or the menu's title (touch): keep the state.
    toggle.addEventListener("change", function () { button.setAttribute("aria-expanded", String(open())); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && open()) { set(false, true); }
    });
    // Tabbing out of the open menu closes it: the page behind it is dimmed, not hidden.
    drawer.addEventListener("focusout", function (event) {
      var to = event.relatedTarget;
      if (open() && to && to !== button && !drawer.contains(to)) { set(false, false); }
    });
  }

  function start() { menuButton(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
