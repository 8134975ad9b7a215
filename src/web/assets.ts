/**
 * The page's stylesheet and script, served from memory under a content hash (cached for a year: a new version
 * has a new address). No build step: plain CSS and a little plain JavaScript. The page works without the script
 * (links page, the search form submits); with it, the next page loads as you scroll and the search answers while
 * you type.
 */
import { createHash } from 'node:crypto';

const CSS = `
:root{color-scheme:light dark;--bg:#f6f5fb;--card:#fff;--text:#1d1b26;--muted:#5d5a6b;--line:#e3e0ee;--accent:#7c3aed;--track:#e9e5f5;--me:#fff4c2;--gold:#d4a017;--silver:#8a94a6;--bronze:#b8733a}
@media (prefers-color-scheme:dark){:root{--bg:#15131c;--card:#1f1c29;--text:#eeeaf7;--muted:#a9a3bd;--line:#322d42;--accent:#a78bfa;--track:#2f2a3f;--me:#4a3f12}}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:880px;margin:0 auto;padding:16px}
.top{display:flex;gap:16px;align-items:center;margin:8px 0 16px}
.top h1{margin:0;font-size:1.6rem;overflow-wrap:anywhere}
.count{margin:2px 0 0;color:var(--muted)}
.icon{width:64px;height:64px;border-radius:16px;flex:none;object-fit:cover;background:var(--track)}
.blank{display:inline-flex;align-items:center;justify-content:center;font-weight:700;color:var(--muted);background:var(--track)}
.rewards{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:10px 14px;margin-bottom:12px}
.rewards summary{font-weight:600;cursor:pointer}
.rewards ul{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:6px 16px}
.rewards li{display:flex;align-items:center;gap:6px;min-width:0;overflow-wrap:anywhere}
.rewards .lv{color:var(--muted)}
.rewards .removed .role{text-decoration:line-through}
.tabs{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:12px}
.tabs a{padding:6px 12px;border-radius:999px;border:1px solid var(--line);background:var(--card);color:var(--text);text-decoration:none;font-size:.95rem;white-space:nowrap}
.tabs a[aria-current]{background:var(--accent);border-color:var(--accent);color:var(--bg);font-weight:600}
.search{display:flex;gap:8px;margin-bottom:12px}
.search input{flex:1;min-width:0;padding:10px 12px;border-radius:10px;border:1px solid var(--line);background:var(--card);color:var(--text);font:inherit}
.search button,.pager a{padding:10px 14px;border-radius:10px;border:1px solid var(--line);background:var(--card);color:var(--accent);font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
.board{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}
.row{display:grid;grid-template-columns:4.2em 40px minmax(0,1fr);gap:12px;align-items:center;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:10px 14px;scroll-margin-top:40vh}
.row.me,.row:target{background:var(--me);border-color:var(--accent);box-shadow:0 0 0 2px var(--accent)}
.rank{font-weight:700;font-variant-numeric:tabular-nums;color:var(--muted);overflow:hidden;text-overflow:ellipsis}
.top1 .rank{color:var(--gold)}.top2 .rank{color:var(--silver)}.top3 .rank{color:var(--bronze)}
.avatar{width:40px;height:40px;border-radius:50%;object-fit:cover;background:var(--track)}
.who{display:grid;grid-template-columns:minmax(0,1fr) auto;gap:2px 12px;min-width:0}
.name{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;min-width:0}
.hidden .name{font-style:italic;color:var(--muted);font-weight:500}
.nums{color:var(--muted);font-variant-numeric:tabular-nums;white-space:nowrap;text-align:right}
progress{grid-column:1/-1;width:100%;height:8px;border:0;border-radius:4px;background:var(--track);appearance:none;-webkit-appearance:none;overflow:hidden}
progress::-webkit-progress-bar{background:var(--track);border-radius:4px}
progress::-webkit-progress-value{background:var(--accent);border-radius:4px}
progress::-moz-progress-bar{background:var(--accent);border-radius:4px}
.pager{display:flex;justify-content:space-between;align-items:center;gap:8px;margin:16px 0}
.where{color:var(--muted)}
.empty{color:var(--muted);text-align:center;padding:24px}
@media (max-width:560px){main{padding:10px}.top h1{font-size:1.25rem}.icon{width:48px;height:48px}
.row{grid-template-columns:3.2em 32px minmax(0,1fr);gap:8px;padding:8px 10px}.avatar{width:32px;height:32px}
.who{grid-template-columns:minmax(0,1fr)}.nums{text-align:left;font-size:.9rem}.pager .where{font-size:.9rem}}
`;

// Progressive enhancement only: every action here also works as a plain link or form.
const JS = `
(function(){
var board=document.querySelector('ol.board');if(!board)return;
var me=board.querySelector('.me');if(me)me.scrollIntoView({block:'center'});
function fragment(href,done){var x=new XMLHttpRequest();x.open('GET',href+(href.indexOf('?')<0?'?':'&')+'fragment=1');
x.onload=function(){if(x.status===200)done(x.responseText,x.getResponseHeader('x-next'))};x.send()}
var pager=document.querySelector('.pager');var next=pager&&pager.querySelector('a[rel=next]');
if(next&&'IntersectionObserver' in window){var href=next.getAttribute('href'),busy=false;
var io=new IntersectionObserver(function(es){if(!es[0].isIntersecting||busy||!href)return;busy=true;
fragment(href,function(html,n){board.insertAdjacentHTML('beforeend',html);href=n;busy=false;
if(!n){io.disconnect();pager.hidden=true}else{next.setAttribute('href',n)}})},{rootMargin:'600px'});
pager.querySelector('.where').textContent='';pager.querySelectorAll('a[rel=prev]').forEach(function(a){a.hidden=true});io.observe(pager)}
var form=document.querySelector('form.search'),input=form&&form.querySelector('input[name=q]'),t=null,base=board.getAttribute('data-base');
if(input)input.addEventListener('input',function(){clearTimeout(t);t=setTimeout(function(){var q=input.value.trim();
if(!q){location.href=base;return}
var url=base+(base.indexOf('?')<0?'?':'&')+'q='+encodeURIComponent(q);
fragment(url,function(html){board.innerHTML=html;board.setAttribute('start','1');
var first=board.querySelector('li');if(first)board.setAttribute('start',first.getAttribute('data-rank'));
if(pager)pager.hidden=true;var e=document.querySelector('.empty');if(e)e.remove();
if(!html){board.insertAdjacentHTML('afterend','<p class="empty">Nobody here is called that.</p>')}
history.replaceState(null,'',url)})},250)});
})();
`;

function asset(file: string, body: string, type: string) {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const dot = file.lastIndexOf('.');
  return { path: `/static/${file.slice(0, dot)}.${hash}${file.slice(dot)}`, body, type };
}

export const ASSETS = {
  css: asset('board.css', CSS.trim(), 'text/css; charset=utf-8'),
  js: asset('board.js', JS.trim(), 'text/javascript; charset=utf-8'),
} as const;
