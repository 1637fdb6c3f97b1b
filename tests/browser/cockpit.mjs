// Drives the web cockpit in Debian's headless Chromium like an operator would: sign in,
// add a shop, upload its Taobao exports, read the overview, look at every page (on a
// laptop and on a phone), export a table, switch to English, sign out. Screenshots go to
// SHOTS; what the pages showed goes to OUT as JSON for the Rust test to check.
//
// Environment: BASE (server URL), LOGIN, PASSWORD, SHOP (name of the shop to add),
// UPLOAD (export files, separated by newlines), SHOTS (directory), OUT (JSON file).
import { chromium } from "playwright-core";
import { mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const base = env("BASE");
const shots = env("SHOTS");
const shop = env("SHOP");
const files = env("UPLOAD").split("\n").filter(Boolean);
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const out = {};
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  // Long pages are shot as the screen shows them; short ones whole.
  const shot = (name, fullPage = true) => page.screenshot({ path: join(shots, `${name}.png`), fullPage });

  await page.goto(`${base}/login`);
  await shot("01-login");
  await page.fill("input[name=login]", env("LOGIN"));
  await page.fill("input[name=password]", env("PASSWORD"));
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.click("button[type=submit]")]);
  await shot("02-overview-demo");

  await page.goto(`${base}/settings`);
  const shopForm = page.locator("form[action='/settings/shops']");
  await shopForm.locator("input[name=name]").fill(shop);
  await shopForm.locator("select[name=platform]").selectOption("taobao");
  await Promise.all([page.waitForLoadState("load"), shopForm.locator("button").click()]);
  await shot("03-settings");

  await page.goto(`${base}/import?shop=${encodeURIComponent(shop)}`);
  await page.setInputFiles("input[type=file]", files);
  await Promise.all([page.waitForURL(/\/import\?shop=/), page.click("form.upload button[type=submit]")]);
  await page.waitForSelector(".job[data-finished='true']", { timeout: 180000 });
  await shot("04-import");
  out.import_rows = await page.locator(".job tbody tr td.num").allTextContents();
  out.import_errors = await page.locator(".job .bad").allTextContents();

  const q = `shop=${encodeURIComponent(shop)}&period=30d&compare=prev`;
  await page.goto(`${base}/?${q}`);
  await shot("05-overview");
  out.cards = {};
  for (const card of await page.locator(".card[data-metric]").all()) {
    out.cards[await card.getAttribute("data-metric")] = (await card.locator(".card-value").textContent()).trim();
  }
  out.dates = (await page.locator(".dates").textContent()).trim();
  const hover = page.locator("svg.chart circle title").first();
  out.hover = (await hover.textContent()).trim();

  for (const [name, path] of [["06-diagnosis", "/diagnosis"], ["07-products", "/products"],
    ["08-traffic", "/traffic"], ["09-dictionary", "/dictionary"], ["10-audit", "/audit"]]) {
    await page.goto(`${base}${path}?${q}`);
    await shot(name, false);
  }
  await page.goto(`${base}/diagnosis?${q}`);
  out.findings = await page.locator("details.finding").count();

  await page.goto(`${base}/products?${q}`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("#products .exports a").first().click(),
  ]);
  const saved = join(shots, "products.csv");
  await download.saveAs(saved);
  out.export_first_line = readFileSync(saved, "utf8").replace(/^\uFEFF/, "").split("\n")[0];
  out.export_lines = readFileSync(saved, "utf8").trim().split("\n").length;
  out.products_rows = await page.locator("#products tbody tr").count();

  // Members of the demo shop (a year of orders): segments, the win-back list, and a
  // segment whose size shows while its filter is typed, then saved.
  const mq = `shop=${encodeURIComponent(process.env.MEMBERS_SHOP || "demo-taobao")}`;
  await page.goto(`${base}/members?${mq}`);
  await shot("14-members", false);
  out.members_segments = await page.locator("#segments tbody tr").count();
  out.win_back_rows = await page.locator("#win-back tbody tr").count();
  await page.goto(`${base}/members/segments?${mq}`);
  await page.fill("textarea[name=filter]", "orders >= 2 and r >= 4");
  await page.waitForFunction(
    () => /^\d+ \/ \d+$/.test(document.querySelector("#live-size .size").textContent.trim()),
    null, { timeout: 60000 });
  out.live_size = (await page.locator("#live-size .size").textContent()).trim();
  await page.fill("textarea[name=filter]", "spend > lots");
  await page.waitForFunction(
    () => document.querySelector("#live-size .size").textContent.includes("character"),
    null, { timeout: 60000 });
  out.live_error = (await page.locator("#live-size .size").textContent()).trim();
  await page.fill("textarea[name=filter]", "orders >= 2 and r >= 4");
  await page.fill("input[name=name]", "浏览器人群");
  await Promise.all([page.waitForLoadState("load"), page.click(".segment-form button[type=submit]")]);
  out.saved_segments = await page.locator("table.segments tbody tr td:first-child").allTextContents();
  out.saved_sizes = await page.locator("table.segments tbody tr td.num").allTextContents();
  await shot("15-segments");

  // The customer-service desk: the script box searches while typing; review alerts.
  await page.goto(`${base}/desk?${mq}`);
  await page.fill("input[name=q]", "tuihuo");
  await page.waitForFunction(
    () => (document.querySelector("#script-results li strong")?.textContent || "").includes("退货"),
    null, { timeout: 60000 });
  out.desk_first_script = (await page.locator("#script-results li strong").first().textContent()).trim();
  out.desk_alerts = await page.locator("article.alert-review").count();
  out.desk_tasks = await page.locator("table.tasks tbody tr").count();
  await shot("17-desk");

  // Promotion of the demo shop: plans against break-even, the pull on free traffic, and
  // the budget split set in its form.
  await page.goto(`${base}/ads?${mq}`);
  await shot("19-ads", false);
  out.ads_plans = await page.locator("#ads-1 tbody tr").count();
  out.ads_pull = await page.locator("section.table", { hasText: "pull on free traffic" })
    .locator("tbody tr td").allTextContents();
  const split = page.locator("form.split-form");
  await split.locator("select").first().selectOption("exposure");
  await split.locator("input[type=number]").first().fill("70");
  await Promise.all([page.waitForLoadState("load"), split.locator("button[type=submit]").click()]);
  out.ads_split_goal = await page.locator("form.split-form select").first().inputValue();
  out.ads_split_share = await page.locator("form.split-form input[type=number]").first().inputValue();

  await page.goto(`${base}/?${q}`);
  await Promise.all([page.waitForLoadState("load"), page.click("#switch-lang")]);
  await page.waitForSelector("h1");
  out.english_title = (await page.locator("main h1").textContent()).trim();
  await shot("11-english");

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  await phone.addCookies(await context.cookies());
  const phonePage = await phone.newPage();
  await phonePage.goto(`${base}/?${q}`);
  await phonePage.screenshot({ path: join(shots, "12-phone.png"), fullPage: true });
  out.phone_overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await phonePage.goto(`${base}/members?${mq}`);
  await phonePage.screenshot({ path: join(shots, "16-phone-members.png"), fullPage: true });
  out.phone_overflow_members = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await phonePage.goto(`${base}/desk?${mq}`);
  await phonePage.screenshot({ path: join(shots, "18-phone-desk.png"), fullPage: true });
  out.phone_overflow_desk = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await phonePage.goto(`${base}/ads?${mq}`);
  await phonePage.screenshot({ path: join(shots, "20-phone-ads.png"), fullPage: true });
  out.phone_overflow_ads = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await phone.close();

  await Promise.all([page.waitForURL(/\/login/), page.click("#logout")]);
  await shot("13-signed-out");
  out.after_logout = new URL(page.url()).pathname;
  await page.goto(`${base}/?${q}`);
  out.after_logout_visit = new URL(page.url()).pathname;
} finally {
  writeFileSync(env("OUT"), JSON.stringify(out, null, 2));
  await browser.close();
}
