import type { ReactNode } from 'react';

interface PlaceholderScreenProps {
  title: string;
  /** One sentence: what this screen is for. */
  summary: string;
  /** What the screen will offer. */
  planned: readonly ReactNode[];
  /** How to do the same work today. */
  meanwhile: readonly ReactNode[];
}

/** An honest stand-in for a screen not built yet: what will come, and what to use meanwhile. */
export function PlaceholderScreen({ title, summary, planned, meanwhile }: PlaceholderScreenProps) {
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          <p>{summary}</p>
        </div>
      </div>
      <section className="card placeholder" aria-label={`${title}: not available yet`}>
        <span className="soon-tag">Not built yet</span>
        <div>
          <h2>What this screen will do</h2>
          <ul>
            {planned.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </div>
        <div>
          <h2>Meanwhile</h2>
          <ul>
            {meanwhile.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        </div>
      </section>
    </div>
  );
}
