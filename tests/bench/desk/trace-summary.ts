/**
 * Where the renderer's main thread spends a rule change, from a Chrome trace (devtools.timeline
 * categories): self time per kind of work, in thread CPU time (`tdur`), so that the split stays
 * comparable when other processes load the machine (wall-clock time does not).
 */

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export type WorkKind = 'script' | 'gc' | 'style' | 'layout' | 'paint' | 'other';

export function workKind(name: string): WorkKind {
  if (/GC|Garbage|gc_|Scavenge|MarkCompact|concurrent marking/i.test(name)) return 'gc';
  if (/^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|ScheduleStyleRecalculation|InvalidateLayout)$/.test(name)) return 'style';
  if (/^(Layout|UpdateLayerTree|IntersectionObserverController::computeIntersections|ComputeIntersections)$/.test(name)) return 'layout';
  if (/^(PrePaint|Paint|PaintImage|Layerize|Commit|UpdateLayer|CompositeLayers|PaintSetup)$/.test(name)) return 'paint';
  if (/^(FunctionCall|EventDispatch|TimerFire|FireAnimationFrame|RunMicrotasks|EvaluateScript|v8\.|V8\.)/.test(name)) return 'script';
  return 'other';
}

/** CPU ms per kind of work on the page's main thread(s), summed over the whole trace. */
export function mainThreadWork(trace: { traceEvents?: TraceEvent[] } | TraceEvent[]): Record<WorkKind, number> {
  const events = Array.isArray(trace) ? trace : (trace.traceEvents ?? []);
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const totals: Record<WorkKind, number> = { script: 0, gc: 0, style: 0, layout: 0, paint: 0, other: 0 };
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (!mains.has(key) || e.ph !== 'X' || typeof e.dur !== 'number') continue;
    let list = byThread.get(key);
    if (!list) byThread.set(key, (list = []));
    list.push(e);
  }
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    // self time: an event's CPU time minus that of the events nested in it
    const stack: TraceEvent[] = [];
    for (const e of list) {
      while (stack.length > 0 && stack[stack.length - 1]!.ts + stack[stack.length - 1]!.dur! <= e.ts) stack.pop();
      const cpu = (e.tdur ?? e.dur!) / 1000;
      const parent = stack[stack.length - 1];
      if (parent) totals[workKind(parent.name)] -= cpu;
      totals[workKind(e.name)] += cpu;
      stack.push(e);
    }
  }
  return totals;
}
