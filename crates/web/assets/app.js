// Small enhancements; every page works without them.
(function () {
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
})();
