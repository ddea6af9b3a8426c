import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-P5SKCVBT.js";import"./chunk-5AHUFK5K.js";import"./chunk-IQKVXV2V.js";import"./chunk-Q4TIY5T3.js";import"./chunk-OZJ4OJ24.js";export{a as ProviderError,c as createProviderClient,b as providerSettings};
