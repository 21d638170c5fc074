/* Parley web chat widget. No dependencies, no build step.
 *
 * Embed:  <script src="https://bot.example.com/webhooks/webchat/parley-chat.js" async></script>
 * Inline: put <div data-parley-chat></div> where the chat should be; otherwise a
 * "Chat with us" button opens it floating. The session lives in localStorage, so a
 * reload or a second tab continues the same conversation.
 * Signed-in visitors: add data-parley-identity="<token>" to the script tag (or to the
 * data-parley-chat element), the token your server signs for this visitor (see the
 * README's "Security model"); their email then counts as verified. A conversation
 * begun under an identity is not continued once the page has none or another one.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = (script && script.getAttribute("data-parley-server")) ||
    (script ? script.src.replace(/\/parley-chat\.js(\?.*)?$/, "") : "/webhooks/webchat");
  base = base.replace(/\/$/, "");
  var STORE_KEY = "parley-chat:" + base;
  var SYNC_KEY = STORE_KEY + ":updated";
  var WHO_KEY = STORE_KEY + ":who"; // the site's user id the stored session was signed for
  var POLL_MS = 3000; // until the server says how often to look for the team's replies
  var identity = (script && script.getAttribute("data-parley-identity")) || null;

  // The user id in a token, to tell whether the stored session is theirs. Not a check:
  // the server verifies the signature.
  function subjectOf(token) {
    try {
      var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      while (part.length % 4) part += "=";
      return String(JSON.parse(window.atob(part)).sub);
    } catch (error) {
      return null;
    }
  }

  function forgetSession() {
    window.localStorage.removeItem(STORE_KEY);
    window.localStorage.removeItem(WHO_KEY);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function request(method, path, body) {
    var options = { method: method, headers: {} };
    if (body !== undefined) {
      // text/plain keeps cross-site requests "simple" (no CORS preflight); the body is JSON.
      options.headers["Content-Type"] = "text/plain;charset=UTF-8";
      options.body = JSON.stringify(body);
    }
    return fetch(base + path, options).then(function (reply) {
      return reply.json().catch(function () { return {}; }).then(function (data) {
        if (!reply.ok) {
          var error = new Error(data.error || ("HTTP " + reply.status));
          error.status = reply.status;
          throw error;
        }
        return data;
      });
    });
  }

  function Chat(host, floating) {
    var self = this;
    this.root = el("section", "parley-chat" + (floating ? " parley-chat--floating" : ""));
    this.root.setAttribute("aria-label", "Chat");
    var title = (host && host.getAttribute("data-parley-title")) || "Chat with us";
    var heading = el("h2", "parley-chat__header", title);
    heading.id = "parley-chat-title-" + Math.random().toString(36).slice(2);
    this.root.setAttribute("aria-labelledby", heading.id);
    this.log = el("div", "parley-chat__log");
    this.log.setAttribute("role", "log");
    this.log.setAttribute("aria-live", "polite");
    this.log.setAttribute("aria-relevant", "additions");
    this.log.tabIndex = 0;
    this.typing = el("p", "parley-chat__typing", "Typing…");
    this.typing.setAttribute("role", "status");
    this.typing.hidden = true;
    var form = el("form", "parley-chat__form");
    var label = el("label", "parley-visually-hidden", "Your message");
    this.input = el("input", "parley-chat__input");
    this.input.type = "text";
    this.input.id = heading.id + "-input";
    this.input.autocomplete = "off";
    this.input.maxLength = 4000;
    this.input.placeholder = "Type a message…";
    label.htmlFor = this.input.id;
    this.send = el("button", "parley-chat__send", "Send");
    this.send.type = "submit";
    form.appendChild(label);
    form.appendChild(this.input);
    form.appendChild(this.send);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (text) self.say(text, text);
    });
    this.root.appendChild(heading);
    this.root.appendChild(this.log);
    this.root.appendChild(this.typing);
    this.root.appendChild(form);
    (host || document.body).appendChild(this.root);
    window.addEventListener("storage", function (event) {
      if (event.key === SYNC_KEY) self.reload(); // another tab spoke: show it here too
    });
  }

  Chat.prototype.session = function () {
    var known = window.localStorage.getItem(STORE_KEY);
    var who = window.localStorage.getItem(WHO_KEY);
    if (!identity) {
      if (known && who) { // they signed out: what they said signed in stays theirs
        forgetSession();
        known = null;
      }
      if (known) return Promise.resolve(known);
      return request("POST", "/session").then(function (data) {
        window.localStorage.setItem(STORE_KEY, data.session);
        return data.session;
      });
    }
    var subject = subjectOf(identity);
    if (known && subject !== null && who === subject) return Promise.resolve(known);
    var body = { identity: identity };
    if (known && !who) body.session = known; // an anonymous chat goes on, now signed in
    var self = this;
    return request("POST", "/session", body).then(function (data) {
      window.localStorage.setItem(STORE_KEY, data.session);
      window.localStorage.setItem(WHO_KEY, subject || "?");
      return data.session;
    }, function (error) {
      if (error.status === 403) { // the stored session is from an old secret
        forgetSession();
        return self.session();
      }
      if (error.status !== 400 && error.status !== 401) throw error;
      if (window.console) window.console.warn("Parley chat: identity refused: " + error.message);
      identity = null; // carry on as an anonymous visitor
      return self.session();
    });
  };

  Chat.prototype.reload = function () {
    var self = this;
    return this.session().then(function (session) {
      return request("GET", "/history?session=" + encodeURIComponent(session));
    }).then(function (data) {
      self.log.textContent = "";
      var messages = data.messages || [];
      messages.forEach(function (message, index) {
        self.show(message, index === messages.length - 1);
      });
      self.cursor = data.cursor || 0;
      self.listen();
      if (!messages.length) self.say("/greet", null);
    }).catch(function (error) {
      if (error.status === 403) { // a session from an old secret: start afresh
        forgetSession();
        return self.reload();
      }
      self.problem("Sorry, the chat can't reach us right now. Please try again in a moment.");
    });
  };

  // What a person from the team writes while they hold the conversation (#20): their
  // replies, named, and "X joined / left the conversation", polled every few seconds.
  Chat.prototype.listen = function () {
    var self = this;
    if (this.listening) return;
    this.listening = true;
    this.poll = function () {
      window.clearTimeout(self.timer);
      self.session().then(function (session) {
        return request("GET", "/updates?session=" + encodeURIComponent(session) + "&after=" + self.cursor);
      }).then(function (data) {
        (data.messages || []).forEach(function (message) { self.show(message, false); });
        self.cursor = data.cursor || self.cursor;
        self.pollMs = data.poll_ms || POLL_MS;
      }).catch(function () { /* offline for a moment: the next poll catches up */ })
        .then(function () { self.timer = window.setTimeout(self.poll, self.pollMs || POLL_MS); });
    };
    this.poll();
  };

  // Right after the visitor writes, a person may have just been asked for: look soon.
  Chat.prototype.lookSoon = function () {
    if (!this.poll) return;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(this.poll, 1000);
  };

  Chat.prototype.show = function (message, offerButtons) {
    var self = this;
    if (message.from === "event") {
      var note = el("p", "parley-chat__event", message.text);
      this.log.appendChild(note);
      this.log.scrollTop = this.log.scrollHeight;
      return;
    }
    var kind = message.from === "person" ? "person" : message.from === "agent" ? "agent" : "bot";
    var bubble = el("div", "parley-chat__msg parley-chat__msg--" + kind);
    if (kind === "agent" && message.name) bubble.appendChild(el("span", "parley-chat__name", message.name));
    if (message.text) bubble.appendChild(document.createTextNode(message.text));
    if (message.image) {
      var image = el("img");
      image.src = message.image;
      image.alt = "";
      bubble.appendChild(image);
    }
    this.log.appendChild(bubble);
    if (message.buttons && message.buttons.length && offerButtons) {
      var group = el("div", "parley-chat__buttons");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Quick replies");
      message.buttons.forEach(function (button) {
        var choice = el("button", "parley-chat__button", button.title);
        choice.type = "button";
        choice.addEventListener("click", function () {
          self.say(button.payload, button.title);
        });
        group.appendChild(choice);
      });
      this.log.appendChild(group);
    }
    this.log.scrollTop = this.log.scrollHeight;
  };

  Chat.prototype.problem = function (text) {
    this.log.appendChild(el("div", "parley-chat__msg parley-chat__msg--error", text));
    this.log.scrollTop = this.log.scrollHeight;
  };

  Chat.prototype.busy = function (yes) {
    this.typing.hidden = !yes;
    this.send.disabled = yes;
    this.input.setAttribute("aria-busy", yes ? "true" : "false");
  };

  // `shown` is what the person sees as their message (a button's title); null: nothing.
  Chat.prototype.say = function (text, shown) {
    var self = this;
    if (this.send.disabled) return;
    Array.prototype.forEach.call(this.log.querySelectorAll(".parley-chat__buttons"), function (group) {
      group.remove(); // quick replies are for the latest question only
    });
    if (shown !== null) this.show({ from: "person", text: shown }, false);
    this.busy(true);
    this.session().then(function (session) {
      var body = { session: session, message: text };
      if (shown && shown !== text) body.shown = shown;
      return request("POST", "/message", body);
    }).then(function (data) {
      if (shown === self.input.value.trim()) self.input.value = "";
      var messages = data.messages || [];
      messages.forEach(function (message, index) {
        self.show({ from: "bot", text: message.text, buttons: message.buttons, image: message.image },
          index === messages.length - 1);
      });
      window.localStorage.setItem(SYNC_KEY, String(Date.now()));
      self.lookSoon();
    }).catch(function (error) {
      // What they typed stays in the box, so nothing is lost.
      self.problem(error.status === 429
        ? "You're sending messages faster than I can take them. Please wait a moment and try again."
        : "Sorry, that didn't go through. Please try again in a moment.");
    }).then(function () {
      self.busy(false);
      self.input.focus();
    });
  };

  function start() {
    if (!document.querySelector('link[href$="parley-chat.css"]')) {
      var sheet = el("link");
      sheet.rel = "stylesheet";
      sheet.href = base + "/parley-chat.css";
      document.head.appendChild(sheet);
    }
    var host = document.querySelector("[data-parley-chat]");
    if (host && host.getAttribute("data-parley-identity")) {
      identity = host.getAttribute("data-parley-identity");
    }
    if (host) {
      new Chat(host, false).reload();
      return;
    }
    var launcher = el("button", "parley-chat__launcher", "Chat with us");
    launcher.type = "button";
    launcher.setAttribute("aria-expanded", "false");
    var chat = null;
    launcher.addEventListener("click", function () {
      if (!chat) {
        chat = new Chat(null, true);
        chat.reload();
      } else {
        chat.root.hidden = !chat.root.hidden;
      }
      launcher.setAttribute("aria-expanded", String(!chat.root.hidden));
      if (!chat.root.hidden) chat.input.focus();
    });
    document.body.appendChild(launcher);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
