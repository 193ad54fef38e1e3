// Injected by tests/t_watch_html.sh at the end of a copy of a watch report
// (an error recorder goes at the start of <head>). It runs after the page
// has loaded and laid out, and writes one line per check into
// a <pre> with id lh-check, which chromium --dump-dom prints for the script.
(function () {
  function check() {
    var out = [];
    var errs = window.__lhErrors || [];
    errs.forEach(function (e) { out.push('FAIL ' + e); });
    if (window.__pwned) out.push('FAIL injected script ran');

    // Every chart: a box of real size; a drawn series (a path with length
    // and a bounding box, or dots) inside the plot area, or the no-data text.
    var charts = document.querySelectorAll('figure.chart svg');
    var drawn = 0, empty = 0;
    charts.forEach(function (svg, i) {
      var r = svg.getBoundingClientRect();
      if (!(r.width > 200 && r.height > 60)) {
        out.push('FAIL chart ' + i + ' box ' + r.width + 'x' + r.height);
        return;
      }
      var vb = svg.viewBox.baseVal;
      var marks = 0, bad = 0;
      svg.querySelectorAll('.series path.line, .series circle').forEach(function (el) {
        var b = el.getBBox();
        var size = el.tagName === 'path' ? el.getTotalLength() : b.width;
        if (!(size > 0) || !(b.width > 0 || b.height > 0)) { bad++; return; }
        if (b.x < -0.5 || b.y < -0.5 || b.x + b.width > vb.width + 0.5 ||
            b.y + b.height > vb.height + 0.5) {
          out.push('FAIL chart ' + i + ' draws outside its box: ' +
                   [b.x, b.y, b.width, b.height].join(','));
          bad++;
          return;
        }
        marks++;
      });
      if (bad) out.push('FAIL chart ' + i + ': ' + bad + ' empty or stray marks');
      else if (marks) drawn++;
      else if (svg.querySelector('text.empty')) empty++;
      else out.push('FAIL chart ' + i + ' has nothing drawn');
      // Axis labels were laid out (text in the SVG renders at all).
      var lab = svg.querySelector('text');
      if (lab && !(lab.getBBox().width > 0)) out.push('FAIL chart ' + i + ' text has no width');
    });
    out.push('charts ' + charts.length + ' drawn ' + drawn + ' empty ' + empty);

    // The verdict is at the top of the first screen.
    var h1 = document.querySelector('header.verdict h1');
    if (!h1 || h1.getBoundingClientRect().top > 100 || !(h1.getBoundingClientRect().height > 10))
      out.push('FAIL verdict not at the top');

    // The first suspect: laid out, not hidden, and what is painted at its
    // heading is the heading; on the first screen, or (many suspects
    // listed above it) once its link in the list is followed.
    var s = document.getElementById('suspect-1');
    if (s) {
      var h = s.querySelector('h3'), where = 'first-screen';
      if (h.getBoundingClientRect().bottom > window.innerHeight) {
        where = 'after-scroll';
        document.querySelector('a[href="#suspect-1"]').click();
      }
      var hr = h.getBoundingClientRect(), cs = getComputedStyle(s);
      var hit = document.elementFromPoint(hr.left + 8, hr.top + hr.height / 2);
      if (cs.display === 'none' || cs.visibility !== 'visible' || !(hr.height > 10) ||
          !(hr.width > 100))
        out.push('FAIL first suspect not laid out');
      else if (hr.top < 0 || hr.bottom > window.innerHeight)
        out.push('FAIL first suspect off the screen (top ' + hr.top + ')');
      else if (!hit || !h.contains(hit))
        out.push('FAIL first suspect covered by ' + (hit ? hit.tagName : 'nothing'));
      else
        out.push('suspect1 ' + where + ' ' + h.textContent);
    }
    // Nothing wider than the window (long generic names wrap).
    if (document.documentElement.scrollWidth > window.innerWidth)
      out.push('FAIL page wider than the window: ' + document.documentElement.scrollWidth);
    out.push('suspects ' + document.querySelectorAll('article.suspect').length);
    out.push('done');
    var pre = document.createElement('pre');
    pre.id = 'lh-check';
    pre.textContent = out.join('\n');
    document.body.appendChild(pre);
  }
  // After load, and a turn later, so policy violations (reported as events
  // after the fact) are in.
  window.addEventListener('load', function () { setTimeout(check, 100); });
})();
