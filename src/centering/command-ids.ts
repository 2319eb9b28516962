/** The command IDs of find center (one frame and all frames), masks and the notebook bridge (`diffraction:verb-noun`). */
export namespace CenterCommandIDs {
  export const findCenter = 'diffraction:find-center';
  export const cancelFindCenter = 'diffraction:cancel-find-center';
  export const resetCenter = 'diffraction:reset-center';
  export const setGuideRings = 'diffraction:set-guide-rings';
  export const loadMask = 'diffraction:load-mask';
  export const saveMask = 'diffraction:save-mask';
  export const autoMask = 'diffraction:auto-mask';
  export const maskInvalid = 'diffraction:mask-invalid-pixels';
  export const drawRectangle = 'diffraction:draw-rectangle';
  export const drawCircle = 'diffraction:draw-circle';
  export const drawPolygon = 'diffraction:draw-polygon';
  export const eraseShape = 'diffraction:erase-shape';
  export const invertMask = 'diffraction:invert-mask';
  export const clearMask = 'diffraction:clear-mask';
  export const toggleMask = 'diffraction:toggle-mask';
  export const undoMask = 'diffraction:undo-mask';
  export const redoMask = 'diffraction:redo-mask';
  export const writeCenter = 'diffraction:write-center';
  export const writeCenterTo = 'diffraction:write-center-to';
  export const insertCenterCode = 'diffraction:insert-center-code';
  export const copyCenter = 'diffraction:copy-center';
  export const showCenters = 'diffraction:show-notebook-centers';
  export const findAllCenters = 'diffraction:find-all-centers';
  export const cancelFindAllCenters = 'diffraction:cancel-find-all-centers';
  export const showDrift = 'diffraction:show-center-drift';
  export const writeAllCenters = 'diffraction:write-all-centers';
  export const insertAllCentersCode = 'diffraction:insert-all-centers-code';
}
