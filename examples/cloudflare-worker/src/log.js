// Structured logs: one JSON object per line, so Workers Logs / Logpush can filter on fields.
export function log(level, event, fields) {
  const line = JSON.stringify({ level, event, at: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
