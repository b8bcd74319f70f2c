// SPDX-License-Identifier: GPL-2.0
/*
 * The report's style and script, as C strings: a few kilobytes that change with the renderer in
 * report.c, so they live beside it and need no build step (xxd, ld -b binary) of their own.
 * Nothing here comes from a capture; the script only shows and hides what report.c wrote.
 */
#include "report.h"

const char vg_report_css[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:0 1.5em 2em;color:#222;background:#fff}"
	"header h1{margin:.4em 0 .1em;font-size:1.5em}header p{margin:0;color:#555}"
	"code,pre,.pl{font-family:ui-monospace,monospace}"
	"nav{position:sticky;top:0;background:#f4f4f4;padding:.5em;border-bottom:1px solid #ccc;"
	"margin:.8em -1.5em;padding-left:1.5em;z-index:1}nav label{margin-right:1em}"
	"#f-n{color:#555}section.ct{border-top:3px solid #4e79a7;margin-top:1.5em}"
	"h2{margin:.4em 0}h3{margin:1em 0 .3em;font-size:1.05em}"
	"table{border-collapse:collapse;margin:.3em 0}th,td{text-align:left;padding:2px 8px;"
	"border-bottom:1px solid #e4e4e4;vertical-align:top}td.n{text-align:right}"
	".s-critical,.s-high{color:#b00}.s-medium{color:#a60}.s-low{color:#06a}td.n{color:inherit}"
	"figure.tl{margin:.5em 0}figure svg{max-width:900px;display:block}"
	"figcaption{font-size:12px;color:#555}.bg{fill:#fafafa;stroke:#ddd}"
	".ax{font-size:11px;fill:#555}line.mark{stroke:#d00;stroke-width:1.5;stroke-dasharray:3 2}"
	".key{display:inline-block;width:.8em;height:.8em;margin:0 .25em 0 .6em;"
	"vertical-align:middle}"
	".key.mk{border-left:2px dashed #d00;width:2px}"
	"ul.tree,ul.tree ul{list-style:none;margin:0;padding-left:1.3em;"
	"border-left:1px dotted #bbb}ul.tree{padding-left:.3em;border:0}li.p{margin:.15em 0}"
	".pl{white-space:nowrap;overflow:hidden;"
	"text-overflow:ellipsis;max-width:100%}.pid{color:#777}.u.root{color:#a40}"
	".args{color:#333}.t{color:#777;font-size:12px}.fold{color:#555;font-size:12px}"
	".badge{background:#fdd;color:#900;border-radius:3px;padding:0 4px;font-size:12px}"
	"ul.acts{margin:0 0 0 1.5em;padding:0;list-style:square;color:#444;font-size:13px;"
	"font-family:ui-monospace,monospace}"
	"details.al{margin:.2em 0 .2em 1.5em;border-left:3px solid currentColor;padding-left:.4em}"
	"details.al summary{cursor:pointer}"
	"details.al .sev{text-transform:uppercase;font-weight:bold}details.al>div{color:#222}"
	"pre{background:#f6f6f6;padding:.5em;overflow:auto;max-height:24em;"
	"font-size:12px}ol.chain{font-family:ui-monospace,monospace;font-size:13px;margin:.2em 0}"
	"h4{margin:.4em 0 .1em;font-size:13px}footer{margin-top:2em;color:#555}.cap{color:#a60}"
	"div.adv{margin-bottom:.8em}div.adv p{margin:.2em 0}"
	"table.adv td:last-child code{background:#f4f4f4;padding:0 3px}"
	"table.adv .lv{color:#a60;font-weight:bold}.adv-none{color:#555}"
	"[hidden]{display:none!important}";

/*
 * Filters: a container hides the other sections; a rule, severity or search shows the alerts
 * that match and the processes that have one (or whose own line matches the search), with
 * their ancestors.
 */
const char vg_report_js[] =
	"(function(){'use strict';\n"
	"var $=function(i){return document.getElementById(i)};\n"
	"var rank={low:0,medium:1,high:2,critical:3};\n"
	"function own(li){var s='';for(var e=li.firstElementChild;e;e=e.nextElementSibling)"
	"if(e.matches('div.pl,ul.acts'))s+=' '+e.textContent;return s.toLowerCase()}\n"
	"function apply(){\n"
	" var c=$('f-c').value,r=$('f-r').value,s=$('f-s').value,t=$('f-t').value.trim()"
	".toLowerCase();\n"
	" document.querySelectorAll('section.ct')"
	".forEach(function(x){x.hidden=!!c&&x.dataset.c!==c});\n"
	" var shown=0,alerts=document.querySelectorAll('details.al');\n"
	" alerts.forEach(function(a){var li=a.closest('li.p');\n"
	"  var ok=(!r||a.dataset.rule===r)&&(!s||rank[a.dataset.sev]>=rank[s])&&"
	"(!t||a.textContent.toLowerCase().indexOf(t)>=0||(li&&own(li).indexOf(t)>=0));\n"
	"  a.hidden=!ok;if(ok&&!a.closest('section[hidden]'))shown++});\n"
	" var procs=document.querySelectorAll('li.p'),filtering=!!(r||s||t);\n"
	" procs.forEach(function(li){li.hidden=filtering});\n"
	" if(filtering)procs.forEach(function(li){\n"
	"  var hit=false;for(var e=li.firstElementChild;e;e=e.nextElementSibling)"
	"if(e.matches('details.al')&&!e.hidden)hit=true;\n"
	"  if(!r&&!s&&t&&own(li).indexOf(t)>=0)hit=true;\n"
	"  for(var q=li;hit&&q;q=q.parentElement.closest('li.p'))q.hidden=false});\n"
	" $('f-n').textContent=shown+' of '+alerts.length+' alerts listed shown'}\n"
	"['f-c','f-r','f-s'].forEach(function(i){$(i).addEventListener('change',apply)});\n"
	"$('f-t').addEventListener('input',apply);apply()})();\n";
