// The publish page: follow a running publish until it is done or failed.
"use strict";
(function () {
  const card = document.getElementById("job");
  if (!card) return;
  const bar = document.getElementById("job-bar");
  function show(job) {
    if (!job || job.state === "idle") return;
    card.dataset.state = job.state;
    if (bar) bar.style.width = `${Math.round(job.progress * 100)}%`;
    const state = document.getElementById("job-state");
    if (state) {
      state.textContent = job.state + (job.version ? ` · version ${job.version}` : "");
      state.className = job.state === "done" ? "ok" : job.state === "failed" ? "error" : "";
    }
    for (const step of job.steps) {
      const item = document.querySelector(`[data-step="${step.name}"]`);
      if (!item) continue;
      item.className = `step-${step.state}`;
      item.querySelector(".step-state").textContent =
        step.state + (step.seconds !== null ? ` (${step.seconds} s)` : "");
      item.querySelector(".step-detail").textContent = step.detail ? ` · ${step.detail}` : "";
    }
    const error = document.getElementById("job-error");
    if (error) error.textContent = job.error || "";
  }
  if (bar) bar.style.width = `${Math.round(parseFloat(bar.dataset.progress || "0") * 100)}%`;
  async function poll() {
    try {
      const job = await window.parleyStudio.get("/api/publish/status");
      if (job.state === "running") { show(job); setTimeout(poll, 1000); return; }
      // Finished: the page reloads to show the new version and what is now live.
      window.location.reload();
    } catch (error) {
      setTimeout(poll, 3000);
    }
  }
  if (card.dataset.state === "running") { card.dataset.wasRunning = "yes"; poll(); }
})();
