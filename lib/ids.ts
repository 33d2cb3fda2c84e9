// Ids in URLs and tokens are UUIDs; anything else is treated as "not found" or
// an invalid credential by the caller, before any database lookup.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);
