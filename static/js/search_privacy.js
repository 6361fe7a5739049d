/* Keep full ID numbers and mobile numbers out of URLs (community/search_privacy.py,
 * docs/privacy.md). Loaded on every back-office page by templates/admin/base_site.html.
 *
 * 1. Changelist search box. On a page that offers a POST lookup (a link marked
 *    data-number-lookup="<url>": residents, households, service requests), a search for a
 *    full ID number (18 characters, or 15 legacy digits) or a full mobile number (11 digits)
 *    is not sent as ?q=… but posted to that lookup. Other searches (names, references, last
 *    4 digits) go through as usual.
 * 2. Autocompletes (the admin's select2 pickers, /admin/autocomplete/?term=…). A term holding
 *    a full number, or a run of 7 or more digits (select2 searches while one types, so a
 *    number would leave digit by digit), is not sent; the list says why instead. select2's
 *    AJAX transport is replaced before the admin initialises the pickers, and a jQuery
 *    prefilter drops any other request of the admin's jQuery carrying such a term.
 *
 * The server refuses these searches anyway (no redirect-free ?q=, no autocomplete results);
 * this script keeps the number from being sent at all.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var REFUSED = (script && script.getAttribute("data-autocomplete-refused")) || "";
  var SEPARATORS = /[\s\-\u2013\u2014]/g;
  var FULL_ID = /(?:^|[^0-9])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])/;
  var FULL_MOBILE = /(?:^|[^0-9]|86)(1[0-9]{10})(?![0-9])/;
  var DIGIT_RUN = /[0-9]{7,}/;

  function compact(value) {
    // Full-width digits (from a Chinese input method) count as digits.
    return String(value)
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

  function withheld(term) {
    return term != null && term !== "" && (fullNumber(term) !== null || DIGIT_RUN.test(compact(term)));
  }

  // -- 1. the changelist search box ------------------------------------------------------------

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

  function guardSearch(search, lookupUrl) {
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
      lookup.action = lookupUrl;
      hidden(lookup, "csrfmiddlewaretoken", csrfToken());
      hidden(lookup, "term", number);
      document.body.appendChild(lookup);
      lookup.submit();
    });
  }

  // -- 2. autocompletes ------------------------------------------------------------------------

  function termOf(options) {
    // By the time prefilters run, jQuery has serialised the data into a query string.
    var terms = [];
    if (typeof options.data === "string") {
      terms.push(new URLSearchParams(options.data).get("term"));
    }
    try {
      terms.push(new URL(options.url, window.location.href).searchParams.get("term"));
    } catch (error) {
      // not a URL: nothing to read
    }
    return terms.filter(withheld)[0] || null;
  }

  function guardAutocomplete($) {
    $.ajaxPrefilter(function (options, originalOptions, xhr) {
      if (termOf(options) !== null) {
        xhr.abort();
      }
    });
    if (!($.fn.select2 && $.fn.select2.defaults)) {
      return;
    }
    // select2's own transport, except for a withheld term: then one disabled line saying why
    // (its id is not "", which select2 would drop as the placeholder).
    $.fn.select2.defaults.set("ajax--transport", function (params, success, failure) {
      if (params.data && withheld(params.data.term)) {
        success({
          results: [{ id: "hx-withheld", text: REFUSED, disabled: true }],
          pagination: { more: false },
        });
        return { status: 0, abort: function () {} };
      }
      var request = $.ajax(params);
      request.then(success);
      request.fail(failure);
      return request;
    });
  }

  // Registered before jQuery loads (this script comes first in <head>), so it runs before
  // jQuery's ready handlers, among them the admin's autocomplete.js initialising select2.
  document.addEventListener("DOMContentLoaded", function () {
    var $ = window.django && window.django.jQuery;
    if ($) {
      guardAutocomplete($);
    }
    var search = document.getElementById("changelist-search");
    var link = document.querySelector("[data-number-lookup]");
    if (search && link) {
      guardSearch(search, link.getAttribute("data-number-lookup"));
    }
  });
})();
