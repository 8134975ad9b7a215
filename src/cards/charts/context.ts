/**
 * What the chart renderers take: plain, named numbers (no Discord, no database), validated once at the renderer's
 * boundary with these schemas, so a caller's mistake (a series of the wrong length, NaN) is a clear error and never a
 * broken picture. Both charts use the card template's fonts and colours.
 */
import { z } from 'zod';
import type { CardTemplate } from '../template.js';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a UTC day as YYYY-MM-DD');
const template = z.custom<CardTemplate>((v) => typeof v === 'object' && v !== null && 'scale' in v && 'bar' in v, 'must be a parsed card template');
const series = (max: number) =>
  z
    .array(z.object({ name: z.string().trim().min(1).max(40), values: z.array(finite) }).strict())
    .min(1)
    .max(max);

/** Every series has one value per x position. */
function sameLength(list: ReadonlyArray<{ values: readonly number[] }>, count: number, what: string, ctx: z.RefinementCtx): void {
  list.forEach((s, i) => {
    if (s.values.length !== count) ctx.addIssue({ code: 'custom', path: ['series', i, 'values'], message: `has ${s.values.length} values for ${count} ${what}` });
  });
}

/**
 * `curve preview`: XP per level for one or more curves (today's and the proposed one), drawn as lines over the same
 * axes. `labels[i]` names x position i (usually the level); every series has one value per label.
 */
export const curveChartSchema = z
  .object({
    title: z.string().max(100),
    subtitle: z.string().max(200).nullable().default(null),
    /** What x is, e.g. "Level". */
    xLabel: z.string().max(40).default('Level'),
    /** What the values are, e.g. "XP to the next level" or "Total XP". */
    yLabel: z.string().max(40),
    labels: z.array(z.string().max(12)).min(1).max(201),
    series: series(4),
    template,
  })
  .strict()
  .superRefine((c, ctx) => sameLength(c.series, c.labels.length, 'labels', ctx));

/**
 * `level history`: XP per UTC day, stacked by source (by convention message first, then voice, then any others such
 * as admin or event bonus; a negative value — decay, an admin removal — is drawn below zero), with the member's
 * level-ups marked. `days` is the whole window, oldest first, consecutive; a day without XP has 0 in every series.
 */
export const historyChartSchema = z
  .object({
    /** Usually the member's display name. */
    title: z.string().max(100),
    /** Usually the period, e.g. "Last 30 days". */
    subtitle: z.string().max(200).nullable().default(null),
    days: z.array(isoDay).min(1).max(366),
    series: series(6),
    levelUps: z.array(z.object({ date: isoDay, level: z.number().int().min(0) }).strict()).max(1000).default([]),
    template,
  })
  .strict()
  .superRefine((c, ctx) => sameLength(c.series, c.days.length, 'days', ctx));

export type CurveChartContext = z.input<typeof curveChartSchema>;
export type HistoryChartContext = z.input<typeof historyChartSchema>;
export type CurveChart = z.output<typeof curveChartSchema>;
export type HistoryChart = z.output<typeof historyChartSchema>;
