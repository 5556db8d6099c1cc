"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { postReviewAction } from "../actions";
import { FieldError, field } from "./decide-panels";

/** The post-incident review every use needs: what was done with the access, in words (linked to the audit log). */
export function PostReviewForm({ requestId }: { requestId: number }) {
  const [summary, setSummary] = useState("");
  const save = useAction(postReviewAction);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save.run({ requestId, summary: summary.trim() });
      }}
    >
      <label className="block text-xs font-medium text-slate-700">
        What was done with it? Name the systems touched, the changes made, and anything left to follow up.
        <textarea
          rows={4}
          className={field}
          value={summary}
          maxLength={5000}
          onChange={(e) => setSummary(e.target.value)}
          placeholder="e.g. Promoted the orders-db replica at 05:58; rotated the replication user; no other change. Follow-up: INC-4821 root cause."
        />
        <FieldError errors={save.fieldErrors} name="summary" />
      </label>
      <div className="mt-2 flex items-center justify-between gap-2">
        <span className="text-xs text-slate-500">{summary.trim().length} / 20 characters at least</span>
        <Button size="sm" variant="primary" type="submit" disabled={save.pending || summary.trim().length < 20}>
          {save.pending ? "Saving…" : "Record the review"}
        </Button>
      </div>
      {save.error && !save.fieldErrors ? (
        <p role="alert" className="mt-1 text-xs text-red-700">
          {save.error}
        </p>
      ) : null}
    </form>
  );
}
