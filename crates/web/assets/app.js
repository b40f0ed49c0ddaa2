// Small enhancements; every page works without them (nojs.css shows what they would open).
(function () {
  "use strict";

  // The company switcher submits as soon as a company is picked.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("select[data-autosubmit]")) el.form.submit();
  });

  // "Send code again (in 27 sec)": count down, then enable the button.
  function countdown() {
    var b = document.querySelector("[data-countdown]");
    if (!b) return;
    var left = parseInt(b.getAttribute("data-countdown"), 10) || 0;
    var wait = b.getAttribute("data-wait-text") || "";
    var ready = b.getAttribute("data-ready-text") || b.textContent;
    if (left <= 0) return;
    var tick = function () {
      if (left <= 0) {
        b.disabled = false;
        b.textContent = ready;
        return;
      }
      b.textContent = wait.replace("##", String(left));
      left -= 1;
      setTimeout(tick, 1000);
    };
    tick();
  }
  document.addEventListener("DOMContentLoaded", countdown);

  // --- The header's menu on narrow screens (a disclosure) ---
  document.addEventListener("click", function (e) {
    var t = e.target.closest && e.target.closest(".nav-toggle");
    if (!t) return;
    var menu = document.getElementById(t.getAttribute("aria-controls"));
    var open = t.getAttribute("aria-expanded") !== "true";
    t.setAttribute("aria-expanded", open ? "true" : "false");
    if (menu) menu.classList.toggle("open", open);
  });

  // --- Row menus (popover): fixed position computed from the button, so no table box
  // clips them; one open at a time; closed by a click elsewhere, Escape, scrolling. ---
  var openMenu = null; // { button, list }

  function items(list) {
    return Array.prototype.slice.call(list.querySelectorAll("a, button"));
  }

  function place(button, list) {
    var r = button.getBoundingClientRect();
    var vw = document.documentElement.clientWidth;
    var vh = document.documentElement.clientHeight;
    list.style.top = "0px";
    list.style.left = "0px";
    var w = list.offsetWidth;
    var h = list.offsetHeight;
    // Right edges aligned, kept inside the viewport; below the button, or above it when
    // there is no room below.
    var left = Math.min(Math.max(8, r.right - w), vw - w - 8);
    var top = r.bottom + 4;
    if (top + h > vh - 8 && r.top - h - 4 >= 8) top = r.top - h - 4;
    list.style.left = Math.max(8, left) + "px";
    list.style.top = Math.max(8, top) + "px";
  }

  function closeMenu(focusButton) {
    if (!openMenu) return;
    var m = openMenu;
    openMenu = null;
    m.list.classList.remove("open");
    if (m.hadHidden) m.list.hidden = true;
    m.button.setAttribute("aria-expanded", "false");
    if (focusButton) m.button.focus();
  }

  function openFor(button, focusFirst) {
    var list = document.getElementById(button.getAttribute("aria-controls"));
    if (!list) return;
    closeMenu(false);
    var hadHidden = list.hidden;
    list.hidden = false;
    list.classList.add("open");
    button.setAttribute("aria-expanded", "true");
    place(button, list);
    openMenu = { button: button, list: list, hadHidden: hadHidden };
    if (focusFirst) {
      var first = items(list)[0];
      if (first) first.focus();
    }
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest(".menu-button");
    if (button) {
      e.preventDefault();
      var same = openMenu && openMenu.button === button;
      if (same) closeMenu(false);
      else openFor(button, e.detail === 0); // keyboard "click" (Enter/Space): focus the first item
      return;
    }
    if (openMenu && !openMenu.list.contains(e.target)) closeMenu(false);
  });

  document.addEventListener("keydown", function (e) {
    var button = e.target.closest && e.target.closest(".menu-button");
    if (button && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      openFor(button, true);
      if (e.key === "ArrowUp" && openMenu) {
        var all = items(openMenu.list);
        if (all.length) all[all.length - 1].focus();
      }
      return;
    }
    if (!openMenu) return;
    if (e.key === "Escape") {
      e.preventDefault();
      closeMenu(true);
      return;
    }
    if (!openMenu.list.contains(e.target)) return;
    var list = items(openMenu.list);
    var i = list.indexOf(document.activeElement);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      var next = e.key === "ArrowDown" ? (i + 1) % list.length : (i - 1 + list.length) % list.length;
      list[next].focus();
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      list[e.key === "Home" ? 0 : list.length - 1].focus();
    } else if (e.key === "Tab") {
      closeMenu(false);
    }
  });

  // A fixed popover would drift from its button: close it when the page moves.
  window.addEventListener("scroll", function (e) {
    if (openMenu && e.target !== openMenu.list) closeMenu(false);
  }, true);
  window.addEventListener("resize", function () { closeMenu(false); });

  // --- htmx ---
  // A refused search (422) carries the message that replaces the results and the count.
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.xhr && e.detail.xhr.status === 422) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  function say(el, text) {
    if (!el || !text) return;
    // Changed text in a live region that stays in the page is what screen readers read.
    el.textContent = "";
    setTimeout(function () { el.textContent = text; }, 50);
  }

  document.addEventListener("htmx:afterSettle", function (e) {
    var target = e.detail.target || e.target;
    if (openMenu && !document.body.contains(openMenu.button)) openMenu = null;
    if (target && target.id === "numbers-list") {
      var msg = target.querySelector("#search-error, #numbers-empty .empty-title, #numbers-count");
      say(document.getElementById("numbers-status"), msg && msg.textContent.trim());
    }
    var done = document.querySelectorAll("tr[data-announce]");
    for (var i = 0; i < done.length; i++) {
      say(document.getElementById("live-region"), done[i].getAttribute("data-announce"));
      done[i].removeAttribute("data-announce");
    }
  });
})();
