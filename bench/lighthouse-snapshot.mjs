// Lighthouse in snapshot mode: audit the page as the reader sees it once Streamlit has drawn it.
//
// A navigation run audits the page when the network goes quiet, but Streamlit draws over its
// websocket afterwards: on the mobile preset Lighthouse audited an empty page (color-contrast
// "not applicable") and reported accessibility 100. This waits for the script run to end and
// the skeletons to go, then takes a snapshot (accessibility, best practices, SEO).
//
// node bench/lighthouse-snapshot.mjs <tool dir> <url> <out.json> <mobile|desktop>
// (run by bench/lighthouse.py, which installs Lighthouse into the tool dir)
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [toolDir, url, out, formFactor] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(`${toolDir}/node_modules/${path}`).href);
const { default: puppeteer } = await load("puppeteer-core/lib/puppeteer/puppeteer-core.js");
const { snapshot } = await load("lighthouse/core/index.js");

// Lighthouse's own mobile and desktop screens (constants.js in Lighthouse).
const screens = {
  mobile: { width: 412, height: 823, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true },
  desktop: { width: 1350, height: 940, deviceScaleFactor: 1, isMobile: false, hasTouch: false },
};
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH,
  args: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage();
  await page.setViewport(screens[formFactor]);
  await page.goto(url, { waitUntil: "load", timeout: 120000 });
  await page.waitForFunction(
    () =>
      document.querySelector("h1") &&
      document.querySelector("[data-testid=stApp]")?.getAttribute("data-test-script-state") ===
        "notRunning" &&
      !document.querySelector("[data-testid=stSkeleton]"),
    { timeout: 120000, polling: 200 },
  );
  const result = await snapshot(page, {
    flags: {
      formFactor,
      screenEmulation: { disabled: true }, // the viewport above is the emulation
      onlyCategories: ["accessibility", "best-practices", "seo"],
    },
  });
  writeFileSync(out, result.report);
} finally {
  await browser.close();
}
