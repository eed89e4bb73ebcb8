// The product contract has no image, so every product gets a picture drawn from its id and
// category: the category picks the background and the object (a category looks like a family),
// the id picks the object's colour and the details (two products never look alike). Pure and deterministic.

/** FNV-1a: a small, stable 32-bit hash of a string. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A sequence of numbers in [0, 1) drawn from a seed (mulberry32). */
function randomFrom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const shapes: Record<string, (colour: string, dark: string) => string> = {
  vase: (c: string, d: string) =>
    `<path d="M140 70h40v20c0 10 30 25 30 60s-20 50-50 50-50-15-50-50 30-50 30-60z" fill="${c}"/><rect x="136" y="62" width="48" height="10" rx="4" fill="${d}"/>`,
  lamp: (c: string, d: string) =>
    `<path d="M120 60h80l25 60h-130z" fill="${c}"/><rect x="155" y="120" width="10" height="60" fill="${d}"/><rect x="125" y="178" width="70" height="12" rx="6" fill="${d}"/>`,
  box: (c: string, d: string) =>
    `<rect x="105" y="80" width="110" height="105" rx="10" fill="${c}"/><rect x="152" y="80" width="16" height="105" fill="${d}"/><rect x="100" y="70" width="120" height="22" rx="6" fill="${d}"/>`,
  mug: (c: string, d: string) =>
    `<rect x="110" y="75" width="85" height="105" rx="12" fill="${c}"/><path d="M195 100h15a22 22 0 0 1 0 44h-15" fill="none" stroke="${d}" stroke-width="12"/>`,
  book: (c: string, d: string) =>
    `<rect x="110" y="65" width="100" height="125" rx="6" fill="${c}"/><rect x="110" y="65" width="16" height="125" rx="4" fill="${d}"/><rect x="140" y="90" width="55" height="8" rx="4" fill="${d}"/>`,
  ball: (c: string, d: string) =>
    `<circle cx="160" cy="125" r="60" fill="${c}"/><path d="M100 125a60 60 0 0 0 120 0" fill="none" stroke="${d}" stroke-width="8"/><circle cx="140" cy="100" r="12" fill="#fff" fill-opacity=".35"/>`,
  pencil: (c: string, d: string) =>
    `<g transform="rotate(-35 160 125)"><rect x="85" y="110" width="130" height="30" rx="4" fill="${c}"/><path d="M215 110l32 15-32 15z" fill="#f3dfb8"/><path d="M236 120l11 5-11 5z" fill="${d}"/><rect x="75" y="110" width="16" height="30" rx="3" fill="${d}"/></g>`,
  tent: (c: string, d: string) =>
    `<path d="M160 62l82 124h-164z" fill="${c}"/><path d="M160 112l26 74h-52z" fill="${d}"/><path d="M160 62l-10-16M160 62l10-16" stroke="${d}" stroke-width="5"/>`,
};

// Words in a category that name an object; any other category gets an object picked by its hash.
const objectWords: [RegExp, keyof typeof shapes][] = [
  [/light|lamp/, 'lamp'],
  [/kitchen|mug|cup|coffee|tea/, 'mug'],
  [/book|read|novel/, 'book'],
  [/station|pen|paper|note|write/, 'pencil'],
  [/gift|box|pack/, 'box'],
  [/outdoor|camp|tent|hik/, 'tent'],
  [/sport|ball|toy|game/, 'ball'],
  [/home|decor|vase|garden/, 'vase'],
];

function objectFor(category: string): keyof typeof shapes {
  const named = objectWords.find(([words]) => words.test(category))?.[1];
  if (named) return named;
  const names = Object.keys(shapes);
  return names[hash(category) % names.length] as keyof typeof shapes;
}

/** The SVG markup of a product's picture (320×240). */
export function productSvg(id: string, category: string): string {
  const family = category.trim().toLowerCase();
  const hue = hash(family) % 360;
  const random = randomFrom(hash(id));
  const shape = shapes[objectFor(family)];
  // Any hue but the background's own neighbourhood, so the object always stands out.
  const accent = (hue + 70 + Math.floor(random() * 220)) % 360;
  const light = 38 + Math.floor(random() * 16);
  // A little size and placement of its own, about the object's foot.
  const scale = (0.85 + random() * 0.3).toFixed(2);
  const shift = Math.round((random() - 0.5) * 70);
  const dots = Array.from({ length: 6 }, () => {
    const [x, y, r] = [Math.round(random() * 320), Math.round(random() * 240), Math.round(6 + random() * 18)];
    return `<circle cx="${x}" cy="${y}" r="${r}" fill="#fff" fill-opacity=".28"/>`;
  }).join('');
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 240" width="320" height="240">',
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 70% 88%)"/><stop offset="1" stop-color="hsl(${(hue + 35) % 360} 60% 76%)"/></linearGradient></defs>`,
    '<rect width="320" height="240" fill="url(#g)"/>',
    dots,
    `<g transform="translate(${160 + shift} 195) scale(${scale}) translate(-160 -195)">`,
    '<ellipse cx="160" cy="200" rx="80" ry="10" fill="#000" fill-opacity=".12"/>',
    shape?.(`hsl(${accent} 58% ${light}%)`, `hsl(${(accent + 30) % 360} 45% ${light - 15}%)`) ?? '',
    '</g>',
    '</svg>',
  ].join('');
}

/** The picture as a data: URL for an <img src>. */
export const productImageUrl = (id: string, category: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(productSvg(id, category))}`;
