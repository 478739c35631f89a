import type { Tier } from '../../shared/api/schemas/pipeline';

/** DataJoint's tier as a small badge in the diagram's colours (Part plain and small). */
export function TierBadge({ tier }: { tier: Tier | null }) {
  if (tier === null)
    return (
      <span className="tier tier-none" title="The table name follows no DataJoint tier rule">
        no tier
      </span>
    );
  return <span className={`tier tier-${tier}`}>{tier}</span>;
}
