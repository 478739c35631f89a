import type { TimeWindow } from '../../../shared/api/schemas/worker';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const WORKDAY_EVENINGS: TimeWindow = { days: [1, 2, 3, 4, 5], start: '19:00', end: '07:00' };

interface Props {
  windows: TimeWindow[];
  errors: Partial<Record<string, string>>;
  onChange(windows: TimeWindow[]): void;
}

/** The weekly donation hours: none means any time; an end before the start runs past midnight. */
export function TimeWindows({ windows, errors, onChange }: Props) {
  const update = (i: number, w: TimeWindow) => onChange(windows.map((x, j) => (j === i ? w : x)));
  return (
    <fieldset className="field-group">
      <legend>Donation hours</legend>
      {windows.length === 0 && <p className="muted">Any time. Add hours to donate only then (local time).</p>}
      {windows.map((w, i) => (
        <div key={i} className="time-window" role="group" aria-label={`Hours ${i + 1}`}>
          <div className="day-picks">
            {DAYS.map((name, day) => (
              <label key={name} className="day-pick">
                <input
                  type="checkbox"
                  checked={w.days.includes(day)}
                  onChange={(e) =>
                    update(i, {
                      ...w,
                      days: e.target.checked ? [...w.days, day].sort() : w.days.filter((d) => d !== day),
                    })
                  }
                />
                {name}
              </label>
            ))}
          </div>
          <label className="inline-field">
            from
            <input
              type="time"
              className="input"
              value={w.start}
              aria-label={`Hours ${i + 1} start`}
              onChange={(e) => update(i, { ...w, start: e.target.value })}
            />
          </label>
          <label className="inline-field">
            to
            <input
              type="time"
              className="input"
              value={w.end}
              aria-label={`Hours ${i + 1} end`}
              onChange={(e) => update(i, { ...w, end: e.target.value })}
            />
          </label>
          <button
            type="button"
            className="btn btn-small btn-quiet"
            onClick={() => onChange(windows.filter((_, j) => j !== i))}
          >
            Remove
          </button>
          {errors[`windows.${i}`] && (
            <p className="field-error" role="alert">
              {errors[`windows.${i}`]}
            </p>
          )}
        </div>
      ))}
      <button type="button" className="btn btn-small" onClick={() => onChange([...windows, WORKDAY_EVENINGS])}>
        Add hours
      </button>
    </fieldset>
  );
}
