// Request form: narrow the building list to the chosen compound and the units to the building.
(function () {
  "use strict";
  var form = document.querySelector("[data-request-form]");
  if (!form) { return; }
  var compound = form.querySelector("[data-place=compound]");
  var building = form.querySelector("[data-place=building]");
  var unit = form.querySelector("[data-place=unit]");

  function narrow(select, parentValue) {
    if (!select) { return; }
    Array.prototype.forEach.call(select.options, function (option) {
      var parent = option.getAttribute("data-parent");
      var visible = !parent || !parentValue || parent === parentValue;
      option.hidden = !visible;
      option.disabled = !visible;
      if (!visible && option.selected) { select.value = ""; }
    });
  }

  function refresh() {
    narrow(building, compound ? compound.value : "");
    narrow(unit, building ? building.value : "");
  }

  if (compound) { compound.addEventListener("change", refresh); }
  if (building) {
    building.addEventListener("change", function () {
      var chosen = building.options[building.selectedIndex];
      if (compound && chosen && chosen.getAttribute("data-parent")) {
        compound.value = chosen.getAttribute("data-parent");
      }
      refresh();
    });
  }
  refresh();
}());
