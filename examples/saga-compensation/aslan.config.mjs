// The saga-compensation example's project: the three booking providers as Lambda-like
// functions, the FIFO queue the providers read cancellations from, and the trips table.
// Paths are relative to this file.
export default {
  functions: {
    "book-hotel": "handlers/book-hotel.mjs",
    "book-flight": "handlers/book-flight.mjs",
    "book-car": "handlers/book-car.mjs",
  },
  queues: {
    // FIFO: a trip's cancellations (MessageGroupId = tripId) are read in the order they were sent.
    "cancellations.fifo": { fifo: true },
  },
  tables: {
    trips: { partitionKey: { name: "tripId", type: "S" } },
  },
};
