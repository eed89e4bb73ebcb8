import assert from 'node:assert/strict';
import { test } from 'node:test';
import { productImageUrl, productSvg } from './product-art.ts';

const a = '64b7f0c2a1b2c3d4e5f60718';
const b = '64b7f0c2a1b2c3d4e5f60719';

test('the same product always gets the same picture; another id another one; the category sets the colours', () => {
  assert.equal(productSvg(a, 'lighting'), productSvg(a, 'lighting'));
  assert.notEqual(productSvg(a, 'lighting'), productSvg(b, 'lighting'));
  const background = (svg: string) => /stop-color="([^"]+)"/.exec(svg)?.[1];
  assert.equal(background(productSvg(a, 'Lighting ')), background(productSvg(b, 'lighting')));
  assert.notEqual(background(productSvg(a, 'lighting')), background(productSvg(a, 'kitchen')));
});

test('the picture is a complete SVG, usable as an image URL', () => {
  const svg = productSvg(a, 'books');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>.*<\/svg>$/);
  assert.ok(productImageUrl(a, 'books').startsWith('data:image/svg+xml;charset=utf-8,%3Csvg'));
});
