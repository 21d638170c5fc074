// The inbox, live (#20): new handoffs and messages arrive as server-sent events. The list
// redraws its queue; an open conversation adds each line as it comes. With the browser's
// permission, a new handoff or a message from a person is also a notification.
"use strict";
(function () {
  var lines = document.getElementById("lines");
  var queue = document.getElementById("queue");
  var live = document.getElementById("inbox-live");
  var toggle = document.getElementById("notify");
  var WHO = { person: "Person", handoff: "", closed: "", joined: "", left: "" };

  function tell(text) {
    if (!live) return;
    live.hidden = false;
    live.textContent = text;
  }

  function notify(change) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    if (!document.hidden) return;
    var title = change.kind === "handoff" ? "A new handoff is waiting" : "A new message in the inbox";
    new Notification(title, { body: change.text, tag: "parley-inbox-" + change.conversation_id });
  }

  function addLine(change) {
    var item = document.createElement("li");
    item.className = "line line-" + change.kind;
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = (change.author || WHO[change.kind] || "") + (change.kind === "note" ? " (private note)" : "");
    var when = document.createElement("time");
    when.dateTime = change.at;
    when.textContent = change.at.slice(0, 16).replace("T", " ");
    var text = document.createElement("p");
    text.textContent = change.text;
    item.appendChild(who);
    item.appendChild(when);
    item.appendChild(text);
    lines.appendChild(item);
    lines.scrollTop = lines.scrollHeight;
  }

  function redrawQueue() {
    fetch("/inbox", { credentials: "same-origin" }).then(function (reply) {
      return reply.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("queue");
      if (fresh && queue) queue.innerHTML = fresh.innerHTML;
    }).catch(function () { /* the next change redraws it */ });
  }

  if (toggle && "Notification" in window) {
    toggle.hidden = Notification.permission === "granted";
    toggle.addEventListener("click", function () {
      Notification.requestPermission().then(function (answer) { toggle.hidden = answer === "granted"; });
    });
  }

  var stream = new EventSource("/inbox/events");
  stream.addEventListener("inbox", function (message) {
    var change = JSON.parse(message.data);
    if (change.kind === "handoff" || change.kind === "person") notify(change);
    if (lines && change.conversation_id === lines.getAttribute("data-conversation")) {
      addLine(change);
      if (change.kind === "person") tell("New message from the person.");
      // Someone joined, left or took over: who holds it changed under this page.
      if (change.kind === "note" && / took over this conversation from /.test(change.text)) {
        tell(change.text + " Reload to see the conversation as it is now.");
      }
    }
    if (queue) {
      if (change.kind === "handoff") tell("A new handoff arrived.");
      redrawQueue();
    }
  });
})();
