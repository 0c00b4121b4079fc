// Drives the HTML redline of `copydesk review` in Debian's headless
// Chromium (playwright-core, never playwright's own browser download), as an
// editor would: looks at the page, rejects and accepts changes with the mouse
// and the keyboard, filters, and downloads the accepted text and the patch.
//
// node tests/browser/review.mjs --page report.html --out DIR [ACTION…]
//
// ACTION is one of
//   --reject RULE        click the first change of RULE, then "Reject"
//   --accept RULE        click the first change of RULE, then "Accept"
//   --accept-key RULE    press `j` until a change of RULE is selected, then `a`
//   --reject-all RULE    click the rule's "✗ all" button in the rules table
// After each action the accepted text of the file holding RULE's first
// change is downloaded to DIR/<n>-<action>.txt (DIR/0-default.txt, the
// first file's, before any). At the end the
// patch of every file goes to DIR/final.patch and a screenshot to
// DIR/screenshot.png; a JSON summary is printed on stdout.

import { chromium } from "playwright-core";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const argv = process.argv.slice(2);
let page_path = null;
let out = null;
const actions = [];
for (let i = 0; i < argv.length; i += 2) {
  const [flag, value] = [argv[i], argv[i + 1]];
  if (value === undefined) throw new Error(`${flag} needs a value`);
  if (flag === "--page") page_path = resolve(value);
  else if (flag === "--out") out = resolve(value);
  else if (["--reject", "--accept", "--accept-key", "--reject-all"].includes(flag)) actions.push([flag.slice(2), value]);
  else throw new Error(`unknown argument ${flag}`);
}
if (!page_path || !out) throw new Error("usage: review.mjs --page FILE --out DIR [ACTION…]");
mkdirSync(out, { recursive: true });

const profile = mkdtempSync(join(tmpdir(), "copydesk-chromium-"));
// A fresh profile every run: launchPersistentContext passes it to Chromium
// as --user-data-dir.
const context = await chromium.launchPersistentContext(profile, {
  acceptDownloads: true,
  viewport: { width: 1400, height: 900 },
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const summary = { requests: [], console_errors: [], page_errors: [], steps: [] };
try {
  const page = context.pages()[0] || (await context.newPage());
  const pageUrl = pathToFileURL(page_path).href;
  page.on("request", (r) => {
    const url = r.url();
    if (url !== pageUrl && !url.startsWith("blob:") && !url.startsWith("data:")) summary.requests.push(url);
  });
  page.on("console", (m) => { if (m.type() === "error") summary.console_errors.push(m.text()); });
  page.on("pageerror", (e) => summary.page_errors.push(String(e)));
  await page.goto(pageUrl);
  await page.waitForSelector("#files .article");

  summary.title = await page.title();
  summary.rendered = await page.locator("#files .ed").count();
  summary.index = await page.locator("#index li").allInnerTexts();
  summary.counts = await page.locator("#counts").innerText();

  // A big batch shows only the files with changes until asked.
  summary.sections_shown = await page.locator("section.file:visible").count();
  summary.index_shown = await page.locator("#index li").count();
  const toggle = page.locator("#show-unchanged");
  summary.unchanged_toggle = (await toggle.isVisible()) ? (await page.locator("#unchanged-toggle").innerText()).trim() : null;
  if (summary.unchanged_toggle !== null) {
    await toggle.check();
    summary.sections_shown_all = await page.locator("section.file:visible").count();
    summary.index_shown_all = await page.locator("#index li").count();
    await toggle.uncheck();
  }
  // Each rule id in the rules table, as the lines it is laid out on.
  summary.rule_id_lines = await page.locator("table.rules td.id").evaluateAll((cells) =>
    cells.map((cell) => {
      const node = cell.firstChild;
      const text = node.textContent;
      const lines = [];
      let line = "", top = null;
      for (let i = 0; i < text.length; i++) {
        const r = document.createRange();
        r.setStart(node, i);
        r.setEnd(node, i + 1);
        const t = r.getBoundingClientRect().top;
        if (top !== null && Math.abs(t - top) > 2) { lines.push(line); line = ""; }
        top = t;
        line += text[i];
      }
      lines.push(line);
      return lines;
    }));

  // Every change carries its rule, level and reason as a tooltip.
  summary.tooltips = await page.locator("#files .ed").evaluateAll((ns) => ns.map((n) => n.title));
  // A deleted paragraph (a change whose new text is empty and whose old
  // text spans a line break): its text, and how it is drawn.
  summary.deleted_paragraphs = await page.locator("#files .ed").evaluateAll((ns) =>
    ns
      .map((n) => [n.querySelector("del"), n.querySelector("ins")])
      .filter(([d, i]) => d && i && i.textContent === "" && d.textContent.includes("\n"))
      .map(([d]) => {
        const box = d.getBoundingClientRect();
        return {
          text: d.textContent,
          decoration: getComputedStyle(d).textDecorationLine,
          shown: box.width > 0 && box.height > 0 && getComputedStyle(d).visibility === "visible",
        };
      }));
  // The index jumps to a file.
  const last = (await page.locator("#index a").count()) - 1;
  await page.locator("#index a").nth(last).click();
  summary.jumped_to = await page.evaluate(() => location.hash);
  summary.jumped_visible = await page.locator(`#file-${last} h2`).isVisible();

  // The level filter hides fixes from the markup, and brings them back.
  await page.locator('.level-filter[value="fix"]').uncheck();
  summary.fixes_shown_when_filtered = await page.locator('#files .ed[data-level="fix"]').count();
  summary.rendered_when_fixes_filtered = await page.locator("#files .ed").count();
  await page.locator('.level-filter[value="fix"]').check();
  summary.fixes_shown = await page.locator('#files .ed[data-level="fix"]').count();

  const download = async (selector, name) => {
    const [d] = await Promise.all([page.waitForEvent("download"), page.locator(selector).first().click()]);
    const path = join(out, name);
    await d.saveAs(path);
    return { suggested: d.suggestedFilename(), path };
  };
  const textSelector = '[data-act="download-text"][data-file="0"]';
  summary.steps.push({ action: "default", ...(await download(textSelector, "0-default.txt")) });

  let n = 0;
  for (const [action, rule] of actions) {
    n += 1;
    const first = page.locator(`#files .ed[data-rule="${rule}"]`).first();
    const file = await first.evaluate((n) => n.closest("section.file").id.slice("file-".length));
    if (action === "reject" || action === "accept") {
      await first.click();
      await page.locator(`#${action}`).click();
    } else if (action === "accept-key") {
      await page.locator("body").click({ position: { x: 5, y: 300 } });
      await page.keyboard.press("Escape");
      let found = false;
      for (let i = 0; i < 200 && !found; i++) {
        await page.keyboard.press("j");
        found = (await page.locator(`#files .ed.sel[data-rule="${rule}"]`).count()) > 0;
      }
      if (!found) throw new Error(`no change of ${rule} reached with j`);
      await page.keyboard.press("a");
    } else if (action === "reject-all") {
      await page.locator(`#rules button[data-act="reject-rule"][data-rule="${rule}"]`).click();
    }
    const step = await download(`[data-act="download-text"][data-file="${file}"]`, `${n}-${action}.txt`);
    step.file = Number(file);
    step.status = await page.locator("#status").innerText();
    step.state = await page.locator("#state").count() ? await page.locator("#state").innerText() : null;
    summary.steps.push({ action, rule, ...step });
  }

  // Decisions survive a reload; Reset goes back to the defaults.
  await page.reload();
  await page.waitForSelector("#files .article");
  summary.after_reload_status = await page.locator("#status").innerText();
  summary.after_reload = (await download(textSelector, "reloaded.txt")).path;
  await page.locator("#reset").click();
  summary.after_reset = (await download(textSelector, "reset.txt")).path;
  await page.reload();
  await page.waitForSelector("#files .article");
  summary.after_reset_reload_status = await page.locator("#status").innerText();
  // Redo the decisions for the patch below.
  for (const [action, rule] of actions) {
    if (action === "reject-all") await page.locator(`#rules button[data-act="reject-rule"][data-rule="${rule}"]`).click();
    if (action === "reject" || action === "accept") {
      await page.locator(`#files .ed[data-rule="${rule}"]`).first().click();
      await page.locator(`#${action}`).click();
    }
    if (action === "accept-key") {
      await page.locator(`#files .ed[data-rule="${rule}"]`).first().click();
      await page.keyboard.press("a");
    }
  }

  const patch = await download("#download-patch", "final.patch");
  summary.patch = patch;
  // Select a change so the side note shows in the picture.
  await page.keyboard.press("Escape");
  await page.keyboard.press("j");
  await page.screenshot({ path: join(out, "screenshot.png"), fullPage: false });
  summary.screenshot = join(out, "screenshot.png");
  summary.selected_note = await page.locator("#detail").innerText();
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(summary, null, 2));
