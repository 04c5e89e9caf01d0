// A small generated world for the dist checks: 300 listeners in 3 taste groups over 240 items.
export function scenario() {
  const items = Array.from({ length: 240 }, (_, i) => ({ id: `i${i}`, tags: [`group:${i % 3}`] }));
  const events = [];
  let t = Date.UTC(2026, 0, 1);
  for (let u = 0; u < 300; u++) {
    for (let k = 0; k < 20; k++) {
      const item = 3 * ((u * 13 + k * 7) % 80) + (u % 3);
      events.push({ user: `u${u}`, item: `i${item}`, signal: k % 5 === 0 ? 'play' : 'up', weight: 1 + (k % 4), at: (t += 60_000) });
    }
  }
  return { items, events, now: () => t + 60_000 };
}
