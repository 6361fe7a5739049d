/* Keep full ID numbers and mobile numbers out of URLs (community/search_privacy.py).
 *
 * On the resident and household changelists, a search for a full ID number (18 characters,
 * or 15 legacy digits) or a full mobile number (11 digits) is not sent as ?q=… but posted to
 * the residents' "Find by ID number or phone" lookup, which opens the matching record. Other
 * searches (names, addresses, last 4 digits) go through as usual. The server refuses a full
 * number in ?q= anyway; this script only spares the user that detour.
 */
(function () {
  "use strict";

  var SEPARATORS = /[\s\-\u2013\u2014]/g;
  var FULL_ID = /(?:^|[^0-9])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])/;
  var FULL_MOBILE = /(?:^|[^0-9]|86)(1[0-9]{10})(?![0-9])/;

  function compact(value) {
    // Full-width digits (from a Chinese input method) count as digits.
    return value
      .replace(/[\uFF10-\uFF19]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
      })
      .replace(SEPARATORS, "");
  }

  function fullNumber(value) {
    var text = compact(value);
    var match = FULL_ID.exec(text) || FULL_MOBILE.exec(text);
    return match ? match[1] : null;
  }

  function findUrl() {
    // /admin/community/resident/ or /admin/community/household/ -> the residents' lookup.
    return window.location.pathname.replace(/[^/]+\/$/, "resident/find/");
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) {
      return input.value;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function hidden(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  function guard(search) {
    search.addEventListener("submit", function (event) {
      var box = search.querySelector("input[name=q]");
      var number = box ? fullNumber(box.value) : null;
      if (!number) {
        return;
      }
      event.preventDefault();
      box.value = "";
      var lookup = document.createElement("form");
      lookup.method = "post";
      lookup.action = findUrl();
      hidden(lookup, "csrfmiddlewaretoken", csrfToken());
      hidden(lookup, "term", number);
      document.body.appendChild(lookup);
      lookup.submit();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var search = document.getElementById("changelist-search");
    if (search) {
      guard(search);
    }
  });
})();
