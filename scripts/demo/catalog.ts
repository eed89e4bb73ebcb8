/** The demo catalog: 40 products in six categories. Pictures are drawn by the web app from each product's id and category. */
export interface DemoProduct {
  name: string;
  description: string;
  category: string;
  price: number;
  stock: number;
}

const inCategory = (category: string, rows: [string, string, number, number][]): DemoProduct[] =>
  rows.map(([name, description, price, stock]) => ({ name, description, category, price, stock }));

export const demoCatalog: DemoProduct[] = [
  ...inCategory('lighting', [
    ['Brass desk lamp', 'Adjustable arm, warm 2700 K bulb included. Weighted base that stays put.', 34.9, 25],
    ['Paper pendant shade', 'Rice-paper globe, 45 cm. Soft, even light for a dining table.', 19.5, 40],
    ['Reading floor lamp', 'Slim steel stand with a dimmable LED head aimed where the page is.', 89, 12],
    ['Bedside touch lamp', 'Three brightness steps with a tap on the base. USB-C charging port.', 27.99, 30],
    ['String lights, 10 m', 'Warm white, 100 LEDs, indoor and outdoor, with a timer.', 15.75, 60],
    ['Mushroom table lamp', 'Opal glass dome on a chrome stem: a classic since the seventies.', 64, 8],
    ['Clip-on book light', 'Rechargeable, amber setting for late-night reading.', 12.49, 0],
  ]),
  ...inCategory('kitchen', [
    ['Stoneware mug', 'Hand-glazed, 350 ml, dishwasher safe. No two glazes alike.', 14, 80],
    ['Pour-over coffee set', 'Glass carafe, ceramic dripper and 50 filters.', 39.5, 20],
    ['Cast-iron skillet, 26 cm', 'Pre-seasoned; goes from hob to oven to table.', 42, 15],
    ['Chef knife, 20 cm', 'Forged stainless steel, full tang, walnut handle.', 74.9, 10],
    ['Linen tea towels, set of 3', 'Stone-washed linen that gets softer with every wash.', 18.25, 45],
    ['Loose-leaf tea tin', '100 g of first-flush Darjeeling in a resealable tin.', 11.9, 35],
    ['Bamboo cutting board', 'Large, with a juice groove. Gentle on knife edges.', 24, 28],
  ]),
  ...inCategory('books', [
    ['Designing Data-Intensive Applications', 'Replication, partitioning, transactions and streams, explained from first principles.', 45.99, 18],
    ['The Pragmatic Programmer', "20th anniversary edition: a craftsman's habits, one tip at a time.", 39.95, 22],
    ['Thinking in Systems', 'A primer on stocks, flows and feedback loops.', 19.99, 30],
    ['Enterprise Integration Patterns', 'Messaging patterns that every event-driven system rediscovers.', 59, 6],
    ['A Philosophy of Software Design', 'Deep modules, information hiding and the fight against complexity.', 24.5, 25],
    ['The Art of Readable Code', 'Simple and practical techniques for writing better code.', 29.99, 0],
    ['Release It!', 'Stability patterns for software that meets the real world: timeouts, bulkheads, circuit breakers.', 42, 14],
  ]),
  ...inCategory('stationery', [
    ['Dot-grid notebook, A5', '160 numbered pages of 100 g/m² paper that fountain pens love.', 16.5, 70],
    ['Fountain pen, fine nib', 'Steel nib, piston filler, translucent barrel.', 32, 24],
    ['Desk organiser', 'Oak tray with compartments for pens, cards and clips.', 27.5, 16],
    ['Sticky notes, pastel pack', 'Twelve pads of 76 × 76 mm notes in six colours.', 6.99, 120],
    ['Mechanical pencil, 0.5 mm', 'Knurled aluminium grip, retractable tip.', 9.75, 50],
    ['Weekly desk planner', 'Undated, tear-off pages, 52 weeks.', 13, 33],
  ]),
  ...inCategory('home-decor', [
    ['Ceramic bud vase', 'Matte speckled glaze, 14 cm: one stem is enough.', 22, 26],
    ['Wool throw blanket', 'Merino blend, 130 × 170 cm, herringbone weave.', 79, 9],
    ['Linen cushion cover', '50 × 50 cm, hidden zip, in sage green.', 21.5, 38],
    ['Terracotta plant pot', 'With drainage hole and saucer, 18 cm.', 17.25, 42],
    ['Beeswax candle pair', 'Hand-dipped, 25 cm, burn about 10 hours each.', 14.5, 55],
    ['Round wall mirror', '60 cm, thin brass frame.', 119, 4],
    ['Woven storage basket', 'Seagrass with handles, fits a shelf cube.', 29, 0],
  ]),
  ...inCategory('outdoor', [
    ['Insulated water bottle', 'Keeps drinks cold for 24 hours, hot for 12. 750 ml.', 28, 48],
    ['Picnic blanket', 'Waterproof backing, folds into a carry strap.', 36.5, 20],
    ['Enamel camping mug', 'Classic speckled blue, 400 ml.', 10.5, 64],
    ['Trail daypack, 20 l', 'Light, with a padded back and a rain cover.', 58, 11],
    ['Folding camp stool', 'Aluminium frame, holds 120 kg, weighs 600 g.', 23.9, 27],
    ['Frisbee', '175 g ultimate disc, glows in the dark.', 12, 75],
  ]),
];

/** The demo customer (a customer account for trying the shop locally; not an admin). */
export const demoCustomer = { name: 'Demo Customer', email: 'demo@shop.local', password: 'demo-shopper-2026' };
