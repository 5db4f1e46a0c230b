// A record's facts as a definition list: label, then value.
import type { ReactNode } from "react";

export const Facts = ({ items }: { items: [label: string, value: ReactNode][] }) => (
  <dl className="facts">
    {items.map(([label, value]) => (
      <div key={label} className="fact">
        <dt>{label}</dt>
        <dd>{value}</dd>
      </div>
    ))}
  </dl>
);
