import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('hopscope', { platform: process.platform });
