/**
 * The playground in a real browser: Debian's Chromium (never a downloaded
 * one) driven by playwright-core. Clicks thumbs and controls and checks that
 * the list, the reasons and the profile change as promised. Screenshots go
 * to test/browser/screenshots/; with UPDATE_SCREENSHOT=1 the README's
 * picture (examples/playground/screenshot.png) is rewritten too.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type RunningPlayground } from '../../examples/playground/serve.js';

const here = dirname(fileURLToPath(import.meta.url));
const shots = join(here, 'screenshots');
const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

interface Card {
  item: string;
  kind: string;
  explored: boolean;
  tags: string[];
  title: string;
  reason: string;
}

let server: RunningPlayground;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function cards(): Promise<Card[]> {
  return page.$$eval('li.card', (els) =>
    els.map((el) => ({
      item: el.getAttribute('data-item') ?? '',
      kind: el.getAttribute('data-kind') ?? '',
      explored: el.getAttribute('data-explored') === 'true',
      tags: (el.getAttribute('data-tags') ?? '').split(' '),
      title: el.querySelector('.title')?.firstChild?.textContent ?? '',
      reason: el.querySelector('.reason-text')?.textContent ?? '',
    })),
  );
}

/** Clicks an action on the card of `item` and waits until the list has been rendered again. */
async function act(item: string, action: 'up' | 'down' | 'tired'): Promise<void> {
  const before = await page.textContent('#activity');
  await page.click(`li.card[data-item="${item}"] button[data-action="${action}"]`);
  await page.waitForFunction((old) => document.querySelector('#activity')?.textContent !== old, before);
}

async function choose(person: string): Promise<void> {
  await page.click(`#people button[data-person="${person}"]`);
  await page.waitForSelector(`#people button[data-person="${person}"][aria-pressed="true"]`);
}

/** What the profile says of a person it holds nothing about (`recommend` may have created an empty record). */
const NOTHING_KNOWN = /knows nothing|no evidence of your taste \(0 signals\)/;
const profileText = () => page.textContent('#profile .profile-text');

beforeAll(async () => {
  if (!existsSync(executablePath))
    throw new Error(
      `Chromium not found at ${executablePath}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`,
    );
  mkdirSync(shots, { recursive: true });
  server = await startPlayground({ port: 0 });
  browser = await chromium.launch({
    executablePath,
    headless: true,
    // As this machine needs: no sandbox as root, no GPU, and no background traffic to hosts it cannot reach.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 960 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the playground in Chromium', () => {
  it('opens on Ann with ten songs, each with a reason and three thumbs', async () => {
    const list = await cards();
    expect(list).toHaveLength(10);
    for (const card of list) expect(card.reason.length).toBeGreaterThan(10);
    expect(await page.locator('li.card button[data-action]').count()).toBe(30);
    // Ann is new: nothing of hers can be cited yet.
    expect(list.some((c) => c.reason.startsWith('Because you liked'))).toBe(false);
    expect(await profileText()).toMatch(NOTHING_KNOWN);
    await page.screenshot({ path: join(shots, '01-first-list.png') });
  });

  it('a thumbs-up moves the list at once and becomes the reason for what follows', async () => {
    const before = await cards();
    const liked = before[1]!;
    await act(liked.item, 'up');
    const after = await cards();
    expect(after.map((c) => c.item)).not.toContain(liked.item); // seen items leave the list
    expect(after.map((c) => c.item)).not.toEqual(before.map((c) => c.item).filter((id) => id !== liked.item));
    const citing = after.filter((c) => c.reason.includes(`“${liked.title}”`));
    expect(citing.length).toBeGreaterThan(0);
    expect(await page.locator('li.card .move').count()).toBeGreaterThan(0); // ▲n / ▼n / new markers
    expect(await page.textContent('#activity')).toMatch(/The list changed: \d+ new, \d+ moved/);
    expect(await page.textContent('#profile .thumbs')).toContain(liked.title);

    // The "why" drawer draws the cited song as a bar of positive width.
    const card = page.locator(`li.card[data-item="${citing[0]!.item}"]`);
    await card.locator('details.why summary').click();
    const row = card.locator('.evidence .bar-row', { hasText: liked.title });
    expect(await row.count()).toBe(1);
    const width = await row.locator('.bar').evaluate((el) => el.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(0);
    expect(await card.locator('.parts .bar-row').count()).toBe(5);
  });

  it('a thumbs-down removes a song for good; tired rests one', async () => {
    const list = await cards();
    const down = list.find((c) => !c.explored)!;
    await act(down.item, 'down');
    expect((await cards()).map((c) => c.item)).not.toContain(down.item);
    const tired = (await cards())[0]!;
    await act(tired.item, 'tired');
    expect((await cards()).map((c) => c.item)).not.toContain(tired.item);
    // More thumbs: the turned-down song never comes back, and is never a reason.
    for (let i = 0; i < 3; i++) {
      const next = (await cards()).find((c) => !c.explored)!;
      await act(next.item, 'up');
      const now = await cards();
      expect(now.map((c) => c.item)).not.toContain(down.item);
      for (const c of now) expect(c.reason).not.toContain(`“${down.title}”`);
    }
    const text = await profileText();
    expect(text).toMatch(/1 item you turned down/);
    expect(text).toMatch(/1 item is resting/);
    // Open the first drawer for the README picture.
    await page.locator('li.card').first().locator('details.why summary').click();
    await page.screenshot({ path: join(shots, '02-after-thumbs.png') });
    if (process.env['UPDATE_SCREENSHOT'] === '1')
      await page.screenshot({ path: resolve(here, '../../examples/playground/screenshot.png') });
  });

  it('muting a tag takes its songs out of the list at once', async () => {
    const tag = (await page.getAttribute('#profile ul.liked li.tag-row', 'data-tag'))!;
    expect((await cards()).some((c) => c.tags.includes(tag))).toBe(true);
    await page.click(`#profile button[data-mute="${tag}"]`);
    await page.waitForSelector(`#profile li[data-muted="${tag}"]`);
    for (const c of await cards()) expect(c.tags).not.toContain(tag);
    await page.click(`#profile button[data-unmute="${tag}"]`);
    await page.waitForFunction((t) => document.querySelector(`#profile li[data-muted="${t}"]`) === null, tag);
    expect((await cards()).some((c) => c.tags.includes(tag))).toBe(true);
  });

  it('undo forgets a thumb', async () => {
    const first = (await page.getAttribute('#profile ul.thumbs li', 'data-thumb'))!;
    await page.click(`#profile button[data-undo="${first}"]`);
    await page.waitForFunction((item) => document.querySelector(`#profile li[data-thumb="${item}"]`) === null, first);
    expect(await page.textContent('#activity')).toContain('forgot');
  });

  it('consent to a sensitive category is kept and shown', async () => {
    expect(await page.isChecked('#consent-health')).toBe(false);
    await page.check('#consent-health');
    await page.waitForFunction(() => document.querySelector('#activity')?.textContent?.includes('Consent given'));
    expect(await page.isChecked('#consent-health')).toBe(true); // re-rendered from profile().consent
    await page.uncheck('#consent-health');
    await page.waitForFunction(() => document.querySelector('#activity')?.textContent?.includes('Consent withdrawn'));
    for (const c of await cards()) expect(c.tags).not.toContain('genre:wellness');
  });

  it('jumping a year lets evidence fade', async () => {
    const clock = await page.textContent('#clock');
    const weight = async () => Number((await page.textContent('#profile ul.liked .bar-value'))!.replace('−', '-'));
    const before = await weight();
    await page.click('#jump-year');
    await page.waitForFunction((old) => document.querySelector('#clock')?.textContent !== old, clock);
    expect(await page.textContent('#clock')).toContain('2027');
    expect(await page.textContent('#activity')).toMatch(/keeps 6% of its weight/);
    expect(await weight()).toBeLessThan(before);
    expect(await page.locator('#chart .mark.jump').count()).toBe(1);
  });

  it('one device, several people: Ben starts from nothing, Ann keeps her profile, a guest teaches nothing', async () => {
    await choose('ben');
    const ben = await cards();
    expect(ben).toHaveLength(10);
    expect(ben.some((c) => c.reason.startsWith('Because you liked'))).toBe(false);
    expect(await profileText()).toMatch(NOTHING_KNOWN);
    await choose('');
    expect(await page.locator('li.card button[data-action="up"]:disabled').count()).toBe(10);
    expect(await page.textContent('#profile')).toContain('A guest teaches attune nothing');
    await choose('ann');
    expect(await page.locator('#profile ul.thumbs li').count()).toBeGreaterThan(0);
  });

  it('Max’s chart marks the life-stage change attune detected', async () => {
    await choose('max');
    expect(await profileText()).toContain('Your taste seemed to change');
    expect(await page.locator('#chart .mark.change').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart path[data-genre="jazz"]').count()).toBe(1);
    expect(await page.locator('#chart path[data-genre="electronic"]').count()).toBe(1);
    await page.screenshot({ path: join(shots, '03-max.png'), fullPage: true });
  });

  it('opting out erases and depersonalises at once; opting back in starts afresh', async () => {
    await choose('ann');
    await page.check('#opt-out');
    await page.waitForFunction(() =>
      document.querySelector('#profile .profile-text')?.textContent?.includes('switched personalisation off'),
    );
    for (const c of await cards()) expect(c.kind).toBe('popular');
    await page.uncheck('#opt-out');
    await page.waitForFunction(() =>
      document.querySelector('#profile .profile-text')?.textContent?.match(/knows nothing|no evidence of your taste/),
    );
    expect(await page.locator('#profile ul.thumbs').count()).toBe(0);
  });

  it('is usable on a phone 390 px wide: one column, every card and thumb on screen, nothing wider than the page', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      phone.on('pageerror', (error) => pageErrors.push(error.message));
      await phone.goto(server.url);
      await phone.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      const layout = await phone.evaluate(() => {
        const box = (el: Element) => el.getBoundingClientRect();
        const cards = [...document.querySelectorAll('li.card')];
        const buttons = [...document.querySelectorAll('li.card button[data-action]')];
        return {
          pageWidth: document.documentElement.scrollWidth,
          listWidth: box(document.querySelector('ol#list')!).width,
          profileWidth: box(document.querySelector('#profile')!).width,
          cards: cards.length,
          narrowest: Math.min(...cards.map((c) => box(c).width)),
          offscreen: buttons.filter((b) => box(b).right > window.innerWidth || box(b).left < 0).length,
          listAboveProfile: box(document.querySelector('ol#list')!).top < box(document.querySelector('#profile')!).top,
        };
      });
      expect(layout.pageWidth).toBeLessThanOrEqual(390);
      expect(layout.cards).toBe(10);
      expect(layout.listWidth).toBeGreaterThan(300);
      expect(layout.narrowest).toBeGreaterThan(300);
      expect(layout.profileWidth).toBeGreaterThan(300);
      expect(layout.offscreen).toBe(0);
      expect(layout.listAboveProfile).toBe(true);
      // A thumb works there too.
      const first = await phone.$eval('li.card', (el) => el.getAttribute('data-item'));
      await phone.click(`li.card[data-item="${first}"] button[data-action="up"]`);
      await phone.waitForFunction(
        (item) => ![...document.querySelectorAll('li.card')].some((el) => el.getAttribute('data-item') === item),
        first,
      );
      await phone.waitForTimeout(1500); // the list's move animation
      await phone.screenshot({ path: join(shots, '09-phone-390.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
