/**
 * Where each field of a YAML document sits, so a validation error can name its line. js-yaml's `load` returns plain
 * values without positions, but js-yaml 5 also exposes its parser's event stream (`parseEvents`), whose events carry
 * source offsets. One walk over those events gives "path → line" for every mapping key and sequence item, with no
 * second YAML library (the `yaml` package would do the same through its CST, at the cost of a new dependency).
 */
import { EVENT_ID, getScalarValue, parseEvents, type Event } from 'js-yaml';

export type FieldPath = readonly (string | number)[];

export class YamlPositions {
  private readonly lines = new Map<string, number>();
  private readonly lineStarts: number[] = [0];

  constructor(private readonly source: string) {
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** Indexes a document; call only on text that `js-yaml.load` accepted (the parser throws the same errors). */
  static of(source: string): YamlPositions {
    const p = new YamlPositions(source);
    p.walk(parseEvents(source, {}));
    return p;
  }

  /**
   * The 1-based line of a field: the line of its key (or its sequence item). For a field that is missing, the
   * nearest enclosing field that exists (a required field is reported where its parent is). Null when nothing fits.
   */
  lineOf(path: FieldPath): number | null {
    for (let n = path.length; n >= 0; n--) {
      const line = this.lines.get(key(path.slice(0, n)));
      if (line !== undefined) return line;
    }
    return null;
  }

  /** 1-based line of a source offset. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private walk(events: Event[]): void {
    let i = 0;
    const node = (path: (string | number)[], at: number | null): void => {
      const e = events[i++];
      if (!e) return;
      const start = offsetOf(e);
      const line = at ?? (start >= 0 ? this.lineAt(start) : null);
      if (line !== null && !this.lines.has(key(path))) this.lines.set(key(path), line);
      if (e.type === EVENT_ID.MAPPING) {
        while (i < events.length && events[i]!.type !== EVENT_ID.POP) {
          const k = events[i]!;
          const name = k.type === EVENT_ID.SCALAR ? getScalarValue(this.source, k) : null;
          const keyStart = offsetOf(k);
          if (name === null) {
            node([...path, '?'], null); // a complex key: skip it and its value
            node([...path, '?'], null);
            continue;
          }
          i++;
          node([...path, name], keyStart >= 0 ? this.lineAt(keyStart) : null);
        }
        i++; // POP
      } else if (e.type === EVENT_ID.SEQUENCE) {
        let index = 0;
        while (i < events.length && events[i]!.type !== EVENT_ID.POP) node([...path, index++], null);
        i++;
      } else if (e.type === EVENT_ID.DOCUMENT) {
        node(path, null);
        while (i < events.length && events[i]!.type !== EVENT_ID.POP) node(path, null); // stray content: skip
        i++;
      }
    };
    node([], null);
  }
}

function key(path: FieldPath): string {
  return path.map(String).join('\u0000');
}

function offsetOf(e: Event): number {
  switch (e.type) {
    case EVENT_ID.SCALAR:
      return e.anchorStart >= 0 ? e.anchorStart : e.tagStart >= 0 ? e.tagStart : e.valueStart;
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return e.start;
    case EVENT_ID.ALIAS:
      return e.anchorStart;
    default:
      return -1;
  }
}
