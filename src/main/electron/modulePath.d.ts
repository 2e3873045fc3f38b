/** electron-vite builds `import x from './file?modulePath'` as its own bundle and gives its path. */
declare module '*?modulePath' {
  const path: string;
  export default path;
}
