// Vite serves the MapLibre worker as a file of its own (see MapView.tsx); the import yields its URL.
declare module 'maplibre-gl/dist/maplibre-gl-worker.mjs?url' {
  const url: string;
  export default url;
}
