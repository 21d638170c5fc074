// Conversation tests: follow a run against the draft bot until it is done or failed.
"use strict";
(function () {
  const card = document.getElementById("run");
  if (!card || (card.dataset.state !== "starting" && card.dataset.state !== "running")) return;
  async function poll() {
    try {
      const run = await window.parleyStudio.get("/api/content/tests/run");
      if (run.state === "starting" || run.state === "running") {
        const message = document.getElementById("run-message");
        if (message) message.textContent = run.message;
        const state = document.getElementById("run-state");
        if (state) state.textContent = `${run.state} (${run.passed + run.failed} of ${run.total})`;
        setTimeout(poll, 1000);
        return;
      }
      // Finished: the page reloads to show each test's result.
      window.location.reload();
    } catch (error) {
      setTimeout(poll, 3000);
    }
  }
  poll();
})();
