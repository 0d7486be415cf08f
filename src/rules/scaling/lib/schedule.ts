/** Why an Application Auto Scaling schedule expression is malformed, or undefined when it is well formed. */
export function scheduleProblem(s: string): string | undefined {
  const text = s.trim();
  const at = /^at\((.*)\)$/.exec(text);
  if (at) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(at[1]!);
    if (!m) return 'an at() expression needs a date and time as yyyy-mm-ddThh:mm:ss';
    const [, , mo, d, h, mi, se] = m.map(Number) as number[];
    if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || se! > 59) return 'the date or time of the at() expression is out of range';
    return undefined;
  }
  const rate = /^rate\((.*)\)$/.exec(text);
  if (rate) {
    const m = /^(\d+)\s+(minutes?|hours?|days?)$/.exec(rate[1]!.trim());
    if (!m) return 'a rate() expression needs a positive whole number and a unit of minute(s), hour(s) or day(s), e.g. rate(5 minutes)';
    if (Number(m[1]) <= 0) return 'the value of a rate() expression must be positive';
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/).filter(Boolean);
    if (fields.length !== 6) return `a cron() expression needs 6 fields (minutes, hours, day of month, month, day of week, year), not ${fields.length}`;
    if (fields.some((f) => !/^[0-9A-Za-z*?,/#-]+$/.test(f))) return 'a cron() field holds characters cron does not accept';
    return undefined;
  }
  return 'a schedule must be at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)';
}
