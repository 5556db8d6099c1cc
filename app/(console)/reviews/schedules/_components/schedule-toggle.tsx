"use client";

import { useAction } from "@/components/ui/use-action";
import { setScheduleEnabledAction } from "../../actions";

/** On/off switch for a schedule (a checkbox styled as a switch: its state is its label). */
export function ScheduleToggle({ id, name, enabled }: { id: number; name: string; enabled: boolean }) {
  const toggle = useAction(setScheduleEnabledAction);
  return (
    <div className="flex flex-col items-start gap-0.5">
      <label className="inline-flex cursor-pointer items-center gap-2 text-xs text-slate-700">
        <input
          type="checkbox"
          role="switch"
          aria-checked={enabled}
          className="peer sr-only"
          checked={enabled}
          disabled={toggle.pending}
          onChange={(e) => toggle.run({ scheduleId: id, enabled: e.target.checked })}
          aria-label={`${name} enabled`}
        />
        <span
          aria-hidden
          className="relative h-5 w-9 rounded-full bg-slate-300 transition-colors peer-checked:bg-indigo-600 peer-focus-visible:ring-2 peer-focus-visible:ring-indigo-500 after:absolute after:top-0.5 after:left-0.5 after:size-4 after:rounded-full after:bg-white after:transition-transform peer-checked:after:translate-x-4"
        />
        {enabled ? "On" : "Off"}
      </label>
      {toggle.error ? (
        <span role="alert" className="text-[11px] text-red-700">
          {toggle.error}
        </span>
      ) : null}
    </div>
  );
}
