import "server-only";
import { authorize } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { readKpiSeries } from "./history";
import { loadLiveFigures } from "./kpis";
import { buildTiles, TILE_METRICS, type TileData } from "./tiles";

const DASHBOARD_HISTORY_DAYS = 90;

/** Everything the executive dashboard shows: aggregates only, organisation-wide. */
export async function loadDashboard(ctx: Ctx): Promise<{ tiles: TileData[]; today: string; people: number }> {
  authorize(ctx.actor, "dashboard.view");
  const today = ctx.now.toISOString().slice(0, 10);
  const from = new Date(ctx.now.getTime() - DASHBOARD_HISTORY_DAYS * 86_400_000).toISOString().slice(0, 10);
  const [live, history] = await Promise.all([loadLiveFigures(ctx), readKpiSeries(ctx.db, TILE_METRICS, from)]);
  return { tiles: buildTiles(live, history, today), today, people: live.people ?? 0 };
}
