// book-hotel: books a room (a hotel provider would be called here). Cities without a partner
// hotel throw HotelUnavailable.
const HOTELS = { Lisbon: "Casa do Rio", Porto: "Ribeira Inn" };

class HotelUnavailable extends Error {
  name = "HotelUnavailable";
}

export function handler({ tripId, hotel }) {
  const name = HOTELS[hotel.city];
  if (!name) throw new HotelUnavailable(`no hotel in ${hotel.city} from ${hotel.checkIn}`);
  return { confirmation: `HTL-${tripId}`, hotel: name, checkIn: hotel.checkIn, nights: hotel.nights };
}
