// book-car: rents a car (a rental company would be called here). A class the city's fleet
// does not have throws CarUnavailable.
const FLEET = { Lisbon: ["compact", "estate"], Porto: ["compact"] };

class CarUnavailable extends Error {
  name = "CarUnavailable";
}

export function handler({ tripId, car }) {
  if (!(FLEET[car.city] ?? []).includes(car.class)) throw new CarUnavailable(`no ${car.class} car in ${car.city} from ${car.from}`);
  return { confirmation: `CAR-${tripId}`, class: car.class, from: car.from, days: car.days };
}
