// What the shop sells and how many of each it has in stock (a catalog service would answer
// this). inventory.json seeds the same products into the inventory table.
export const CATALOG = {
  "KEYBOARD-9": { name: "Mechanical keyboard", stock: 25 },
  "MOUSE-3": { name: "Wireless mouse", stock: 0 },
};
