// Opens pages of the built site in headless Chromium and prints, per page, what the browser test asserts.
// Usage: node browser_check.cjs BASE_URL SCREENSHOT_DIR PATH... (NODE_PATH points at playwright-core)
const { chromium } = require("playwright-core");

async function check(browser, base, shots, path) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on("response", (reply) => { if (reply.status() >= 400) errors.push(`${reply.status()} ${reply.url()}`); });
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("requestfailed", (request) => errors.push(`request failed: ${request.url()}`));
  const response = await page.goto(base + path, { waitUntil: "networkidle" });
  const found = await page.evaluate(() => ({
    title: document.title,
    lang: document.documentElement.lang,
    katex: document.querySelectorAll(".arithmatex .katex").length,
    arithmatex: document.querySelectorAll(".arithmatex").length,
    katexErrors: document.querySelectorAll(".katex-error").length,
    rawLeft: [...document.querySelectorAll(".arithmatex")].filter((el) => !el.querySelector(".katex")).length,
    languages: [...document.querySelectorAll("a[hreflang]")].map((a) => ({ lang: a.hreflang, href: a.href })),
  }));
  const links = [];
  for (const { lang, href } of found.languages) {
    const reply = await page.request.get(href);
    links.push({ lang, href, status: reply.status() });
  }
  const name = path.replace(/[^A-Za-z0-9]+/g, "_") || "home";
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: false });
  await page.close();
  return { path, status: response.status(), ...found, languages: undefined, links, errors };
}

(async () => {
  const [base, shots, ...paths] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
  const results = [];
  for (const path of paths) results.push(await check(browser, base, shots, path));
  await browser.close();
  console.log(JSON.stringify(results));
})().catch((error) => { console.error(error); process.exit(1); });
