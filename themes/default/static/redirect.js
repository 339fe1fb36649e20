/* site-gen default theme: the redirect page at a moved article's old address. It goes on to the new
   address keeping the part after "#" (a link to a passage), which a <meta> refresh would drop; without
   JavaScript the <meta> refresh in <noscript> goes on to the article. */
(function () {
  "use strict";
  var target = document.currentScript.getAttribute("data-target");
  if (location.protocol === "file:" && /\/$/.test(target)) target += "index.html";
  location.replace(target + location.hash);
})();
