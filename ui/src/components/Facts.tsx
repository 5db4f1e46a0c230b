// A record's facts as a definition list: label, then value, in the order given.
import type { ReactNode } from "react";

export const Facts = ({ items }: { items: Record<string, ReactNode> }) => (
  <dl className="facts">
    {Object.entries(items).map(([label, value]) => (
      <div key={label} className="fact">
        <dt>{label}</dt>
        <dd>{value}</dd>
      </div>
    ))}
  </dl>
);
