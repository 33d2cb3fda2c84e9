// Every fixed port the tests use, as an offset from one base, so two checkouts
// can run their suites side by side (TEST_PORT_BASE=4200 in the second).
export const PORT_BASE = Number(process.env.TEST_PORT_BASE ?? 3200);
export const testPort = (offset: number): number => PORT_BASE + offset;
