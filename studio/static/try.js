// The Try page: start the draft bot, chat with it and call it (studio/try_panel.py).
"use strict";
(() => {
  const root = document.getElementById("try-status");
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const studio = window.parleyStudio;
  let conversation = root.dataset.conversation;
  let polling = null;
  let ready = false;
  let call = { active: false, singleKey: false, keys: "" };

  function showError(error) {
    const box = $("try-error");
    box.textContent = error ? String(error.message || error) : "";
    box.hidden = !error;
  }

  function renderStatus(status) {
    root.dataset.state = status.state;
    $("try-state").textContent = status.state;
    $("try-message").textContent = status.message;
    $("try-progress").textContent = status.progress || "";
    $("try-changed").hidden = !(status.changed && status.state === "ready");
    $("try-start").textContent = status.running ? "Restart the draft bot" : "Start the draft bot";
    ready = status.state === "ready";
    if (!ready) call.active = false;
    enableControls();
    const busy = status.state === "training" || status.state === "starting";
    if (busy && polling === null) polling = window.setInterval(refresh, 2000);
    if (!busy && polling !== null) { window.clearInterval(polling); polling = null; }
  }

  function enableControls() {
    $("chat-text").disabled = !ready;
    $("chat-send").disabled = !ready;
    $("call-start").disabled = !ready;
    $("call-hangup").disabled = !call.active;
    $("call-speech").disabled = !call.active;
    $("call-say").disabled = !call.active;
    $("call-silence").disabled = !call.active;
    for (const key of $("keypad").querySelectorAll("button")) key.disabled = !call.active;
    $("keys-typed").textContent = call.keys ? `Keys: ${call.keys} (press # to send)` : "";
  }

  async function refresh() {
    try { renderStatus(await studio.get("/api/try/status")); } catch (error) { showError(error); }
  }

  function addLine(log, who, text) {
    const item = document.createElement("li");
    item.className = `try-${who}`;
    item.textContent = text;
    $(log).appendChild(item);
    item.scrollIntoView({ block: "nearest" });
    return item;
  }

  // ------------------------------------------------------------------ chat

  function addBotMessage(message) {
    const item = addLine("chat-log", "bot", message.text);
    if (message.image) {
      const link = document.createElement("a");
      link.href = message.image;
      link.textContent = " (image)";
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      item.appendChild(link);
    }
    if (message.buttons && message.buttons.length) {
      const row = document.createElement("div");
      row.className = "try-buttons";
      for (const button of message.buttons) {
        const element = document.createElement("button");
        element.type = "button";
        element.className = "small secondary";
        element.textContent = button.title;
        element.addEventListener("click", () => send(button.payload, button.title));
        row.appendChild(element);
      }
      item.appendChild(row);
    }
  }

  async function send(text, shown) {
    if (!ready || !text) return;
    addLine("chat-log", "you", shown || text);
    $("chat-send").disabled = true;
    try {
      const reply = await studio.post("/api/try/message", { conversation, text });
      if (!reply.messages.length) addLine("chat-log", "note", "(no reply)");
      reply.messages.forEach(addBotMessage);
      showError(null);
    } catch (error) {
      showError(error);
      refresh();
    } finally {
      $("chat-send").disabled = !ready;
    }
  }

  $("chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("chat-text");
    const text = input.value.trim();
    input.value = "";
    send(text);
  });

  $("chat-reset").addEventListener("click", async () => {
    try {
      const reply = await studio.post("/api/try/reset", { conversation });
      conversation = reply.conversation;
      $("chat-log").replaceChildren();
      $("call-log").replaceChildren();
      call = { active: false, singleKey: false, keys: "" };
      enableControls();
      showError(null);
    } catch (error) { showError(error); }
  });

  // ------------------------------------------------------------------ voice

  function heard(reply) {
    for (const line of reply.heard) addLine("call-log", line.who === "bot" ? "bot" : "note", line.text);
    call.active = !reply.ended;
    call.singleKey = reply.single_key;
    if (reply.ended) addLine("call-log", "note", "call ended");
    enableControls();
  }

  async function callStep(url, body, said) {
    if (said) addLine("call-log", "you", said);
    try {
      heard(await studio.post(url, { conversation, ...body }));
      showError(null);
    } catch (error) {
      showError(error);
      call.active = false;
      enableControls();
      refresh();
    }
  }

  $("call-start").addEventListener("click", () => {
    $("call-log").replaceChildren();
    call = { active: false, singleKey: false, keys: "" };
    callStep("/api/try/call/start", {}, "");
  });
  $("call-hangup").addEventListener("click", () => callStep("/api/try/call/hangup", {}, ""));
  $("call-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("call-speech");
    const speech = input.value.trim();
    input.value = "";
    if (speech) callStep("/api/try/call/say", { speech }, `“${speech}”`);
  });
  $("call-silence").addEventListener("click", () => callStep("/api/try/call/say", { speech: "" }, "(silence)"));
  for (const key of $("keypad").querySelectorAll("button")) {
    key.addEventListener("click", () => {
      // A menu takes one key; longer entries (a phone number) end with # as on a phone.
      if (call.singleKey || key.dataset.key === "#") {
        const digits = call.singleKey ? key.dataset.key : call.keys + "#";
        call.keys = "";
        callStep("/api/try/call/press", { digits }, `pressed ${digits}`);
      } else {
        call.keys += key.dataset.key;
        enableControls();
      }
    });
  }

  $("try-start").addEventListener("click", async () => {
    $("try-start").disabled = true;
    try {
      renderStatus(await studio.post("/api/try/start", {}));
      $("call-log").replaceChildren();
      showError(null);
    } catch (error) { showError(error); }
    finally { $("try-start").disabled = false; }
  });

  refresh();
})();
