/**
 * Graph or map: which view of the path the upper pane shows. The graph stays
 * mounted and drawn under the map, so its PNG export and zoom survive a look
 * at the map.
 */
import './PaneViewSwitch.css';

export type PaneView = 'graph' | 'map';

const VIEWS: readonly { view: PaneView; label: string; title: string }[] = [
  { view: 'graph', label: 'Graph', title: 'The path as a graph of hops' },
  { view: 'map', label: 'Map', title: 'The path through the countries of its hops (country-level)' },
];

export function PaneViewSwitch({ view, onChange }: { view: PaneView; onChange: (view: PaneView) => void }) {
  return (
    <div className="hs-pane-view-switch" role="group" aria-label="View">
      {VIEWS.map((v) => (
        <button
          key={v.view}
          type="button"
          data-testid={`view-${v.view}`}
          aria-pressed={view === v.view}
          title={v.title}
          onClick={() => onChange(v.view)}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}
