// Content editors: add/remove button rows, move questions up and down (the number
// fields stay the source of truth, so the forms also work without this script).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const discard = document.querySelector("form.discard-draft");
  if (discard) {
    discard.addEventListener("submit", (event) => {
      if (!window.confirm("Throw away every edit that is not published yet?")) event.preventDefault();
    });
  }
  const deleting = document.querySelector("form.delete-entry");
  if (deleting) {
    deleting.addEventListener("submit", (event) => {
      if (!window.confirm("Delete this question from the draft?")) event.preventDefault();
    });
  }
  const deletingTest = document.querySelector("form.delete-test");
  if (deletingTest) {
    deletingTest.addEventListener("submit", (event) => {
      if (!window.confirm("Delete this test from the draft?")) event.preventDefault();
    });
  }
  const rows = document.querySelector(".button-rows");
  const add = document.querySelector(".add-row");
  if (rows && add) {
    add.addEventListener("click", () => {
      const last = rows.querySelector(".button-row:last-child");
      const copy = last.cloneNode(true);
      copy.querySelectorAll("input").forEach((input) => {
        input.value = "";
        input.removeAttribute("id");
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      });
      copy.querySelectorAll(".field-error").forEach((p) => p.remove());
      rows.appendChild(copy);
      copy.querySelector("input").focus();
    });
    rows.addEventListener("click", (event) => {
      const button = event.target.closest(".remove-row");
      if (!button) return;
      const row = button.closest(".button-row");
      if (rows.querySelectorAll(".button-row").length > 1) {
        row.remove();
      } else {
        row.querySelectorAll("input").forEach((input) => { input.value = ""; });
      }
    });
  }
  const list = document.querySelector(".questions");
  if (list) {
    const renumber = () => {
      list.querySelectorAll(".question").forEach((item, index) => {
        item.querySelector(".position").value = String(index + 1);
      });
    };
    list.addEventListener("click", (event) => {
      const up = event.target.closest(".move-up");
      const down = event.target.closest(".move-down");
      if (!up && !down) return;
      const item = event.target.closest(".question");
      if (up && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
      if (down && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
      renumber();
      (up || down).focus();
    });
  }
});
