import type { ReactNode } from 'react';

/**
 * A table of rows under a head of column headers, in the scrolling wrapper
 * every list of the console has. `columns` are the headers, in order;
 * `children` the rows.
 */
export function DataTable({
  columns,
  children,
  caption,
  className,
  wrapClassName,
  labelledBy,
}: {
  columns: readonly ReactNode[];
  children: ReactNode;
  /** For screen readers only, when no heading names the table. */
  caption?: string;
  className?: string;
  /** A class beside `table-wrap` on the wrapper. */
  wrapClassName?: string;
  /** The id of the heading that names the table. */
  labelledBy?: string;
}) {
  return (
    <div className={wrapClassName ? `table-wrap ${wrapClassName}` : 'table-wrap'}>
      <table className={className} aria-labelledby={labelledBy}>
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column, i) => (
              // The headers are fixed for a table, so their place is a stable key.
              <th key={i} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
