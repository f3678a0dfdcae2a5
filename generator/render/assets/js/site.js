// Site-wide behaviour. No inline scripts anywhere: pages work under script-src 'self'.
(function () {
  "use strict";
})();
