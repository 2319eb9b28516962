/**
 * What every mask tool is: an input handler of the viewer (`DiffractionViewer.addInputHandler`)
 * that edits the mask of its host, with a hint for the status and an optional shape in progress.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { DiffractionViewer } from '../../viewer/widget.js';
import type { MaskModel, MaskShape } from '../model.js';

/** The mask drawing / editing tools. */
export type MaskToolName = 'rect' | 'circle' | 'polygon' | 'erase';

/** A pointer position in image (row, col) and stage client (x, y) coordinates. */
export type ToolPoint = { row: number; col: number; x: number; y: number };

/** What a tool works on. */
export interface IMaskToolHost {
  readonly viewer: DiffractionViewer;
  readonly mask: MaskModel;
  /** Redraw the overlay (the shape in progress changed). */
  redraw(): void;
}

/** One mask tool, active while registered with the viewer. */
export interface IMaskTool extends DiffractionViewer.IInputHandler {
  readonly name: MaskToolName;
  /** The shape being drawn, drawn dashed over the image; null when none. */
  readonly draft: MaskShape | null;
  /** What the user can do with the tool, for the status. */
  hint(trans: TranslationBundle): string;
  /** Drop the shape in progress; false when there was none. */
  cancelDraft(): boolean;
}

/** The mode of a shape: Alt held re-includes (unmasks), otherwise it excludes. */
export function modeOf(event: MouseEvent): 'exclude' | 'include' {
  return event.altKey ? 'include' : 'exclude';
}

/** Whether a pointer event is a press of a button other than the main one (left to the viewer). */
export function isOtherButton(event: MouseEvent): boolean {
  return event.type === 'pointerdown' && event.button !== 0;
}
