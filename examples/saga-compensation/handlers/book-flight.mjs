// book-flight: books a seat (an airline would be called here). Routes the airline does not
// fly throw NoFlightAvailable.
const ROUTES = { "BER-LIS": "TP 533", "LIS-BER": "TP 534", "BER-OPO": "FR 1442" };

class NoFlightAvailable extends Error {
  name = "NoFlightAvailable";
}

export function handler({ tripId, flight }) {
  const number = ROUTES[`${flight.from}-${flight.to}`];
  if (!number) throw new NoFlightAvailable(`no flight from ${flight.from} to ${flight.to} on ${flight.date}`);
  return { confirmation: `FLT-${tripId}`, flight: number, date: flight.date };
}
