"use client";

import { type ColumnDef, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { cn } from "@/components/ui/cn";

/**
 * Rendering shell for server-paginated lists: TanStack Table owns columns and cells; sorting, filtering and
 * paging happen in SQL (keyset), so the table only ever holds one page.
 */
export function DataTable<T>({
  columns,
  data,
  label,
  rowKey,
  empty,
}: {
  columns: ColumnDef<T>[];
  data: T[];
  label: string;
  rowKey: (row: T) => string | number;
  empty?: React.ReactNode;
}) {
  const table = useReactTable({
    data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => String(rowKey(row)),
  });
  if (data.length === 0 && empty) return <>{empty}</>;
  return (
    <div className="overflow-x-auto">
      <table aria-label={label} className="w-full border-collapse text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50/80 text-xs text-slate-500">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th
                  key={header.id}
                  scope="col"
                  className={cn(
                    "px-3 py-2 font-medium whitespace-nowrap",
                    (header.column.columnDef.meta as ColumnMeta)?.className,
                  )}
                >
                  {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="border-b border-slate-100 last:border-0 hover:bg-slate-50/70">
              {row.getVisibleCells().map((cell) => (
                <td
                  key={cell.id}
                  className={cn("px-3 py-2 align-middle", (cell.column.columnDef.meta as ColumnMeta)?.className)}
                >
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type ColumnMeta = { className?: string };
