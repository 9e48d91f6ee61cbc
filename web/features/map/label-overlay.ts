import type { Map as MapLibreMap } from 'maplibre-gl';
import type { BBox } from '../../map/geometry.ts';
import { selectLabels, type LabelCandidate, type LabelKind } from '../../map/labels.ts';

/**
 * HTML labels over the map canvas (the style has no glyphs). Re-lays out once per animation frame while the
 * camera moves; elements are reused by label id so a pan only moves them.
 */
export class LabelOverlay {
  private readonly root: HTMLDivElement;
  private readonly elements = new Map<string, HTMLDivElement>();
  private candidates: readonly LabelCandidate[] = [];
  private hidden: ReadonlySet<LabelKind> = new Set();
  private frame = 0;

  constructor(private readonly map: MapLibreMap) {
    this.root = document.createElement('div');
    this.root.className = 'zz-map-labels';
    this.root.setAttribute('data-testid', 'map-labels');
    map.getCanvasContainer().after(this.root);
    map.on('move', this.schedule);
    map.on('resize', this.schedule);
  }

  setCandidates(candidates: readonly LabelCandidate[]): void {
    this.candidates = candidates;
    this.schedule();
  }

  setHidden(hidden: ReadonlySet<LabelKind>): void {
    this.hidden = hidden;
    this.schedule();
  }

  /** Lays out now (tests and screenshots wait for this rather than the next frame). */
  flush(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.map.off('move', this.schedule);
    this.map.off('resize', this.schedule);
    this.root.remove();
  }

  private readonly schedule = () => {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  };

  private render(): void {
    const b = this.map.getBounds();
    const bounds: BBox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    const container = this.map.getContainer();
    const placed = selectLabels({
      candidates: this.candidates,
      zoom: this.map.getZoom(),
      bounds,
      project: (at) => this.map.project(at),
      viewport: { width: container.clientWidth, height: container.clientHeight },
      hidden: this.hidden,
    });
    const keep = new Set<string>();
    for (const label of placed) {
      keep.add(label.id);
      let el = this.elements.get(label.id);
      if (!el) {
        el = document.createElement('div');
        el.className = `zz-map-label zz-map-label--${label.kind}`;
        el.setAttribute('data-testid', `map-label-${label.kind}`);
        el.setAttribute('data-code', label.id.slice(2));
        const main = document.createElement('span');
        main.textContent = label.text;
        el.appendChild(main);
        this.elements.set(label.id, el);
        this.root.appendChild(el);
      }
      const main = el.firstElementChild as HTMLSpanElement;
      if (main.textContent !== label.text) main.textContent = label.text; // the language changed
      let detail = el.querySelector('small');
      if (detail && detail.textContent !== label.detail) {
        detail.remove();
        detail = null;
      }
      if (label.showDetail && label.detail && !detail) {
        const small = document.createElement('small');
        small.textContent = label.detail;
        el.appendChild(small);
      } else if (!label.showDetail && detail) {
        detail.remove();
      }
      el.style.transform = `translate(${Math.round(label.x)}px, ${Math.round(label.y)}px) translate(-50%, -50%)`;
    }
    for (const [id, el] of this.elements) {
      if (keep.has(id)) continue;
      el.remove();
      this.elements.delete(id);
    }
  }
}
